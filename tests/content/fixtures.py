"""A small, valid content tree that tests copy and then break on purpose."""

from __future__ import annotations

from pathlib import Path

FILES = {
    "professions.toml": """
[professions.health]
title = "Health worker"

[professions.licensed]
title = "Licensed professional"
licence_types = ["nurse", "cosmetologist"]
""",
    "licence-types.toml": """
[licence_types.nurse]
title = "Nurse"
professions = ["licensed"]

[licence_types.cosmetologist]
title = "Cosmetologist"
professions = ["licensed"]
""",
    "content-areas.toml": """
[areas.definitions]
title = "Definitions"

[areas.reporting]
title = "Reporting"
""",
    "indicators.toml": """
[indicators.debt-bondage]
title = "Debt bondage"

[indicators.someone-else-speaks]
title = "Someone else speaks for the person"
""",
    "jurisdictions/international.toml": """code = "international"
name = "International"

[[contacts]]
name = "Local emergency services"
kind = "emergency"
""",
    "jurisdictions/US.toml": """code = "US"
name = "United States"

[[contacts]]
name = "National Human Trafficking Hotline"
kind = "hotline"
phone = "1-888-373-7888"
""",
    "basics/course.toml": """slug = "basics"
title = "Basics"
professions = ["health"]
credit_hours = 0.5
pass_mark = 80
objectives = ["Know the basics"]

[[references]]
title = "Trafficking Protocol"
""",
    "basics/modules/01-what.md": """+++
slug = "what"
title = "What it is"
minutes = 20
content_areas = ["definitions"]
+++

Read [the next module](module:report) first.

!!! case "Case: the clinic"
    A worked case.
""",
    "basics/modules/02-report.md": """+++
slug = "report"
title = "Reporting"
minutes = 15
content_areas = ["reporting"]
content_note = "Describes violence."
+++

Before the contacts.

[[contacts]]

After the contacts.

## References

1. UNODC.
""",
    "curricula/health.toml": """slug = "health-default"
title = "Health"
profession = "health"
default = true
courses = ["basics"]
""",
    "requirements/us-mi.toml": """slug = "us-mi"
title = "Michigan"
authority = "LARA"
jurisdiction = "US-MI"
citation = "MCL 333.16148"
professions = ["health"]
min_hours = 0
content_areas = ["definitions", "reporting"]
licence_required = false
approval_required = false
""",
}


def write_content(root: Path, **overrides: str | None) -> Path:
    """Write the tree under ``root/courses``; ``overrides`` replace (or, with None, drop) files."""
    files = {**FILES, **{k.replace("__", "/"): v for k, v in overrides.items()}}
    courses = root / "courses"
    for name, text in files.items():
        if text is None:
            continue
        path = courses / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return courses


#: A Spanish variant of the fixture course and Spanish vocabularies, with the
#: quiz items the variant translates. Tests add these to FILES and break them.
VARIANT_FILES = {
    "basics/items/quiz.toml": """[[items]]
id = "basics-define"
type = "single"
difficulty = 1
stem = "What makes a case trafficking?"
explanation = "An act, a means and a purpose."
content_areas = ["definitions"]

[[items.options]]
id = "three"
text = "An act, a means and an exploitative purpose."
correct = true
feedback = "Right: all three elements."

[[items.options]]
id = "border"
text = "Crossing a border."
feedback = "Wrong: no border is needed."

[[items]]
id = "basics-respond"
type = "classification"
difficulty = 2
stem = "An adult patient, not in danger, does not want a report."
explanation = "An adult not in immediate danger decides."
content_areas = ["reporting"]
labels = ["call-emergency-services", "adult-decides"]
answer = "adult-decides"

[items.feedback]
call-emergency-services = "Not here: nobody is in danger."
adult-decides = "Right: the adult decides."
""",
    "basics/translations/es/course.toml": """slug = "basics"
title = "Lo básico"
language = "es"
professions = ["health"]
credit_hours = 0.5
pass_mark = 80
objectives = ["Conocer lo básico"]
""",
    "basics/translations/es/modules/01-what.md": """+++
slug = "what"
title = "Qué es"
minutes = 20
content_areas = ["definitions"]
+++

Lea primero [el módulo siguiente](module:report).

!!! case "Caso: la clínica"
    Un caso práctico.
""",
    "basics/translations/es/modules/02-report.md": """+++
slug = "report"
title = "Denunciar"
minutes = 15
content_areas = ["reporting"]
content_note = "Describe violencia."
+++

Antes de los contactos.

[[contacts]]

Después de los contactos.
""",
    "basics/translations/es/items/quiz.toml": """[[items]]
id = "basics-define"
type = "single"
difficulty = 1
stem = "¿Qué hace que un caso sea trata?"
explanation = "Un acto, un medio y un fin."
content_areas = ["definitions"]

[[items.options]]
id = "three"
text = "Un acto, un medio y un fin de explotación."
correct = true
feedback = "Correcto: los tres elementos."

[[items.options]]
id = "border"
text = "Cruzar una frontera."
feedback = "Incorrecto: no hace falta ninguna frontera."

[[items]]
id = "basics-respond"
type = "classification"
difficulty = 2
stem = "Una paciente adulta, sin peligro, no quiere que se denuncie."
explanation = "Una adulta sin peligro inmediato decide."
content_areas = ["reporting"]
labels = ["call-emergency-services", "adult-decides"]
answer = "adult-decides"

[items.feedback]
call-emergency-services = "Aquí no: nadie está en peligro."
adult-decides = "Correcto: la adulta decide."
""",
    "translations/es/professions.toml": """[professions.health]
title = "Personal sanitario"

[professions.licensed]
title = "Profesional colegiado"
licence_types = ["nurse", "cosmetologist"]
""",
    "translations/es/licence-types.toml": """[licence_types.nurse]
title = "Enfermera o enfermero"
professions = ["licensed"]

[licence_types.cosmetologist]
title = "Cosmetóloga o cosmetólogo"
professions = ["licensed"]
""",
    "translations/es/content-areas.toml": """[areas.definitions]
title = "Definiciones"

[areas.reporting]
title = "Denuncia"
""",
    "translations/es/indicators.toml": """[indicators.debt-bondage]
title = "Servidumbre por deudas"

[indicators.someone-else-speaks]
title = "Otra persona habla por ella"
""",
    "translations/es/jurisdictions/international.toml": """code = "international"
name = "Internacional"

[[contacts]]
name = "Servicios de emergencia locales"
kind = "emergency"
""",
    "translations/es/jurisdictions/US.toml": """code = "US"
name = "Estados Unidos"

[[contacts]]
name = "Línea Nacional contra la Trata de Personas"
kind = "hotline"
phone = "1-888-373-7888"
""",
    "translations/es/curricula/health.toml": """slug = "health-default"
title = "Sanidad"
profession = "health"
default = true
courses = ["basics"]
""",
    "translations/es/labels.toml": """[labels]
call-emergency-services = "Llamar a emergencias"
adult-decides = "La persona adulta decide"
""",
}


def write_variant(root: Path, **overrides: str | None) -> Path:
    """The fixture tree with its Spanish variant; ``overrides`` as for :func:`write_content`."""
    return write_content(root, **{**VARIANT_FILES, **overrides})
