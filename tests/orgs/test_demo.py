"""`trainer demo` gives the demo organisations units, staff and an assignment."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from trainer.cli import main
from trainer.models import Organisation
from trainer.orgs.reports import ReportFilters, completion
from trainer.orgs.scope import Scope


def test_the_demo_academy_has_units_staff_and_an_assignment(app, db):
    for _ in range(2):  # seeding twice changes nothing
        assert CliRunner().invoke(main, ["demo"], obj=app).exit_code == 0
    academy = db.scalar(select(Organisation).where(Organisation.slug == "demo-police-academy"))
    with app.app_context():
        rows = completion(
            db, Scope(academy), app.extensions["trainer.content"], ReportFilters(), date.today()
        )
    assert {(r.unit, r.course, r.assigned) for r in rows} == {
        ("North", "core", 3),
        ("North", "police", 3),
    }
