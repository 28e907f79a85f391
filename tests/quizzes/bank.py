"""A small item bank, one item of each type, for tests to load and to break on purpose."""

SINGLE = """
[[items]]
id = "basics-single"
type = "single"
difficulty = 1
stem = "Who speaks for the patient?"
explanation = "Someone else speaking for the person is a UNODC indicator."
content_areas = ["definitions"]
indicators = ["someone-else-speaks"]
professions = ["health"]

[[items.options]]
id = "alone"
text = "See her alone under the routine policy."
correct = true
feedback = "A routine policy does not single her out."

[[items.options]]
id = "confront"
text = "Confront the companion."
feedback = "Confronting may put her in danger."
"""

MULTIPLE = """
[[items]]
id = "basics-multiple"
type = "multiple"
difficulty = 2
stem = "Which are indicators?"
explanation = "Debt and held papers are ILO indicators."
content_areas = ["definitions"]
indicators = ["debt-bondage"]
professions = ["health"]

[[items.options]]
id = "debt"
text = "A debt that grows"
correct = true
feedback = "Debt bondage."

[[items.options]]
id = "papers"
text = "Her passport is held by the employer"
correct = true
feedback = "Retention of documents."

[[items.options]]
id = "foreign"
text = "She is foreign"
feedback = "Nationality is not an indicator."
"""

CLASSIFICATION = """
[[items]]
id = "basics-classify"
type = "classification"
difficulty = 2
stem = "He paid to cross the border and was free on arrival."
answer = "smuggling"
explanation = "Smuggling Protocol art. 3: procuring illegal entry for a benefit."
content_areas = ["definitions"]
indicators = []
professions = ["health"]

[items.feedback]
trafficking = "No means or exploitation appear."
smuggling = "He paid to be moved and was free on arrival."
both = "Nothing shows exploitation after arrival."
neither = "His entry was procured for a fee."
not-enough-information = "The facts are enough here."
"""

ORDERING = """
[[items]]
id = "basics-order"
type = "ordering"
difficulty = 2
stem = "Order the first steps."
explanation = "Safety first, then privacy, then an offer of help."
content_areas = ["reporting"]
indicators = []
professions = ["health"]

[[items.steps]]
id = "safety"
text = "Meet urgent needs"
feedback = "Safety first."

[[items.steps]]
id = "alone"
text = "See the person alone"
feedback = "Privacy before questions."

[[items.steps]]
id = "offer"
text = "Offer help and referral"
feedback = "The person decides."
"""

BRANCHING = """
[[items]]
id = "basics-branch"
type = "branching"
difficulty = 3
stem = "A patient arrives with her cousin."
explanation = "SOAR: see the patient alone, offer help, do not force."
content_areas = ["reporting"]
indicators = ["someone-else-speaks"]
professions = ["health"]
start = "arrival"

[[items.nodes]]
id = "arrival"
text = "The cousin answers every question."

[[items.nodes.choices]]
id = "policy"
text = "Apply the see-alone policy"
score = 2
feedback = "Good: routine and safe."
next = "alone"

[[items.nodes.choices]]
id = "ask-him"
text = "Ask the cousin"
score = 0
feedback = "He controls the answers."
next = "end-missed"

[[items.nodes]]
id = "alone"
text = "She is alone with you."

[[items.nodes.choices]]
id = "offer"
text = "Offer help and a contact"
score = 2
feedback = "Offer, do not force."
next = "end-referred"

[[items.nodes.choices]]
id = "force"
text = "Insist that she report"
score = 0
feedback = "Forcing takes away her choice."
next = "end-missed"

[[items.nodes]]
id = "end-referred"
end = true
text = "She takes the contact."

[[items.nodes]]
id = "end-missed"
end = true
text = "The chance is missed."
"""

ALL = SINGLE + MULTIPLE + CLASSIFICATION + ORDERING + BRANCHING
