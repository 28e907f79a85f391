"""`trainer reminders send`: what is due gets one message, however often cron runs it."""

from __future__ import annotations

import email
import logging
from email.policy import default

from babel.dates import format_date
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.orgs.conftest import in_days
from trainer.cli import main
from trainer.models import Reminder


def run(app, *args):
    return CliRunner().invoke(main, ["reminders", "send", *args], obj=app)


def assign(client, make, ministry, due, **target):
    response = client.post(
        f"/api/v1/orgs/{ministry.slug}/assignments",
        headers=make.api_headers(ministry.admin),
        json={"courses": ["core"], "due": due.isoformat(), **target},
    )
    assert response.status_code == 201, response.json


def test_due_soon_reminders_and_a_digest_are_sent_once(app, client, make, db, ministry, inbox):
    assign(client, make, ministry, in_days(3), unit="North")
    first = run(app)
    assert first.exit_code == 0, first.output
    assert "due_soon\tofficer@moi.example\tDue " in first.output
    assert "digest\tadmin@moi.example" in first.output
    assert "digest\tnorth@moi.example" in first.output
    (reminder,) = inbox.to("officer@moi.example")
    assert "Ministry of Interior asked you to complete by" in reminder
    assert "http://trainer.test/dashboard" in reminder
    (digest,) = inbox.to("admin@moi.example")
    assert "North: 0 of 1 completed, 0 overdue" in digest
    assert inbox.to("south@moi.example") == []  # nothing assigned to the South

    count = len(inbox.messages)
    second = run(app)
    assert second.exit_code == 0
    assert "0 reminder(s) sent." in second.output
    assert len(inbox.messages) == count


def test_nothing_is_sent_for_what_is_far_off(app, client, make, ministry, inbox):
    assign(client, make, ministry, in_days(30), unit="North")
    assert "0 reminder(s) sent." in run(app).output
    assert "due_soon\tofficer@moi.example" in run(app, "--days", "31").output


def test_overdue_reminders_repeat_weekly_not_daily(app, client, make, db, ministry, inbox):
    assign(client, make, ministry, in_days(1), unit="North")
    later = in_days(9)
    first = run(app, "--today", later.isoformat())
    assert "overdue\tofficer@moi.example\tOverdue: " in first.output
    assert "overdue\tofficer" not in run(app, "--today", later.isoformat()).output
    week_after = in_days(16).isoformat()
    assert "overdue\tofficer@moi.example" in run(app, "--today", week_after).output
    kinds = db.scalars(select(Reminder.kind).where(Reminder.user_id == ministry.officer.id)).all()
    assert sorted(kinds) == ["overdue", "overdue"]


def test_a_completed_assignment_gets_no_reminder(app, client, make, db, ministry, inbox):
    from trainer.models import Attempt, ModuleCompletion, utcnow

    assign(client, make, ministry, in_days(2), emails=["officer@moi.example"])
    core = app.extensions["trainer.content"].courses["core"]
    for module in core.modules:
        db.add(
            ModuleCompletion(
                user_id=ministry.officer.id,
                course_slug="core",
                module_slug=module.slug,
                course_version=core.version,
            )
        )
    db.add(
        Attempt(
            id="done1",
            user_id=ministry.officer.id,
            course_slug="core",
            course_version=core.version,
            seed=1,
            item_ids=[],
            item_versions={},
            presentation={},
            answers={},
            submitted_at=utcnow(),
            passed=True,
            results={},
        )
    )
    db.commit()
    output = run(app).output
    assert "officer@moi.example" not in output.replace("digest", "")
    assert db.scalar(select(func.count(Reminder.id)).where(Reminder.kind != "digest")) == 0


def test_invitations_go_out_after_the_import_and_never_twice(app, client, make, ministry, inbox):
    body = "email,full_name,profession,unit\nana@moi.example,Ana Lima,police,North\n"
    client.post(
        f"/api/v1/orgs/{ministry.slug}/enrolments",
        data=body.encode(),
        headers=make.api_headers(ministry.admin),
    )
    assert len(inbox.to("ana@moi.example")) == 1  # the job ran (immediate queue in tests)
    assert "invitation" not in run(app).output
    assert len(inbox.to("ana@moi.example")) == 1


def test_each_reader_gets_reminders_in_their_own_language(app, client, make, db, ministry, caplog):
    ministry.officer.locale = "es"
    ministry.admin.locale = "fr"
    db.commit()
    due = in_days(3)
    assign(client, make, ministry, due, unit="North")
    with caplog.at_level(logging.INFO, logger="trainer.mail"):
        assert run(app).exit_code == 0
    spanish_due = format_date(due, "medium", locale="es")  # "25 nov 2026"
    marker = "Mail not sent (TRAINER_SMTP_URL is unset):\n"
    sent = {
        message["To"]: message
        for message in (
            email.message_from_string(r.getMessage().split(marker, 1)[1], policy=default)
            for r in caplog.records
            if r.getMessage().startswith(marker)
        )
    }
    reminder = sent["officer@moi.example"]
    assert " ".join(reminder["Subject"].split()).startswith(f"Fecha límite {spanish_due}: ")
    assert f"Ministry of Interior le pide que complete antes del {spanish_due}" in (
        reminder.get_content()
    )
    digest = sent["admin@moi.example"]
    assert "North : 0 terminées sur 1, 0 en retard" in digest.get_content()
    assert "Hello Nora North" in sent["north@moi.example"].get_content()  # no choice: English
