"""The staff-list template: a CSV to fill in, and the valid values listed on the enrolment page.

The header has every column the import reads; one example row uses this
organisation's first unit path and real codes, so a training officer copies what
works instead of guessing. The codes (professions, licence types) and the unit
paths are listed on the page with their names in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer import db
from trainer.accounts.jurisdiction import region_countries
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import shown_catalogue
from trainer.content.model import Catalogue
from trainer.csvsafe import csv_text
from trainer.downloads import csv_response, separator
from trainer.orgs import units as unit_services
from trainer.orgs.access import org_scope
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import OPTIONAL, REQUIRED
from trainer.orgs.views import bp


@dataclass(frozen=True)
class TemplateValues:
    """What each coded column accepts: (code, name) pairs and the unit paths."""

    professions: list[tuple[str, str]]
    licence_types: list[tuple[str, str, str]]  # code, name, the professions' names
    #: A licence type and a profession that holds it, for the example row.
    licensed: tuple[str, str] | None
    units: list[str]
    region_countries: list[str]


def template_values(scope: Scope, catalogue: Catalogue) -> TemplateValues:
    units = unit_services.units_in_scope(db.session(), scope)
    labels = unit_services.unit_labels(db.session(), units)
    jurisdictions = (r.jurisdiction for r in catalogue.requirement_sets.values())
    return TemplateValues(
        professions=[(slug, p.title) for slug, p in catalogue.professions.items()],
        licence_types=[
            (slug, t.title, ", ".join(catalogue.professions[p].title for p in t.professions))
            for slug, t in catalogue.licence_types.items()
        ],
        licensed=next(
            (
                (slug, t.professions[0])
                for slug, t in catalogue.licence_types.items()
                if t.professions
            ),
            None,
        ),
        units=sorted(labels.values(), key=str.casefold),
        region_countries=sorted(region_countries(jurisdictions)),
    )


def template_csv(values: TemplateValues, sep: str) -> str:
    """The header and one example row (a licensed profession when there is one)."""
    licensed = values.licensed
    profession = licensed[1] if licensed else (values.professions or [("", "")])[0][0]
    example = {
        "email": "name@example.org",
        "full_name": "Firstname Lastname",
        "profession": profession,
        "unit": values.units[0] if values.units else "",
        "licence_type": licensed[0] if licensed else "",
        "licence_number": "000123" if licensed else "",
        "licensing_board": "",
        "country": "",
        "region": "",
    }
    columns = (*REQUIRED, *OPTIONAL)
    return csv_text(columns, [[example.get(c, "") for c in columns]], sep)


@bp.get("/enrolments/template.csv")
@roles_required("org_admin")
def enrolment_template(org_slug: str) -> ResponseReturnValue:
    """A staff-list template with this organisation's first unit and valid codes; ``?sep=;``."""
    scope = org_scope(current_user, org_slug)
    text = template_csv(template_values(scope, shown_catalogue()), separator(request.args))
    return csv_response(text, f"{scope.organisation.slug}-staff-template.csv")


def enrol_template_values(scope: Scope) -> TemplateValues:
    """Template global for the enrolment page: the valid values in the reader's language."""
    return template_values(scope, shown_catalogue())


bp.add_app_template_global(enrol_template_values, "enrol_template_values")
