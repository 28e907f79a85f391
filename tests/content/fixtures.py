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
