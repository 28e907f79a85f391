"""A ministry with a unit tree, staff and admins, and a second ministry next door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from trainer.models import Organisation, OrgUnit, User
from trainer.orgs.scope import Scope
from trainer.orgs.units import create_unit


@dataclass
class Ministry:
    org: Organisation
    other: Organisation
    north: OrgUnit
    district4: OrgUnit
    station_a: OrgUnit
    south: OrgUnit
    district9: OrgUnit
    other_unit: OrgUnit
    admin: User  # the whole ministry
    north_admin: User  # only North's subtree
    other_admin: User  # the other ministry
    officer: User  # in Station A (North)
    southerner: User  # in District 9 (South)
    outsider: User  # a learner of the other ministry

    @property
    def slug(self) -> str:
        return self.org.slug


def in_days(days: int) -> date:
    return date.today() + timedelta(days=days)


def shown_date(day: date) -> str:
    """A date as an English page shows it: ``Nov 22, 2026``."""
    return f"{day:%b} {day.day}, {day.year}"


@pytest.fixture
def ministry(make, db) -> Ministry:
    org = make.organisation("moi", "Ministry of Interior")
    other = make.organisation("moh", "Ministry of Health")
    whole = Scope(org)
    north = create_unit(db, whole, name="North", kind="region", parent=None)
    district4 = create_unit(db, whole, name="District 4", kind="district", parent=north)
    station_a = create_unit(db, whole, name="Station A", kind="station", parent=district4)
    south = create_unit(db, whole, name="South", kind="region", parent=None)
    district9 = create_unit(db, whole, name="District 9", kind="district", parent=south)
    other_unit = create_unit(db, Scope(other), name="Capital", kind="region", parent=None)
    db.commit()
    admin = make.user(
        "admin@moi.example", role="org_admin", organisation=org, full_name="Ada Admin"
    )
    north_admin = make.user(
        "north@moi.example", role="org_admin", organisation=org, full_name="Nora North"
    )
    north_admin.admin_unit_id = north.id
    other_admin = make.user(
        "admin@moh.example", role="org_admin", organisation=other, full_name="Otto Other"
    )
    officer = make.user(
        "officer@moi.example", organisation=org, full_name="Olu Officer", profession="police"
    )
    officer.unit_id = station_a.id
    southerner = make.user(
        "south@moi.example", organisation=org, full_name="Sam South", profession="police"
    )
    southerner.unit_id = district9.id
    outsider = make.user(
        "nurse@moh.example", organisation=other, full_name="Nia Nurse", profession="health"
    )
    outsider.unit_id = other_unit.id
    db.commit()
    return Ministry(
        org,
        other,
        north,
        district4,
        station_a,
        south,
        district9,
        other_unit,
        admin,
        north_admin,
        other_admin,
        officer,
        southerner,
        outsider,
    )


class Inbox:
    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode())
        return "250 OK"

    def to(self, address: str) -> list[str]:
        return [m for m in self.messages if f"To: {address}" in m]


@pytest.fixture
def inbox(app, monkeypatch):
    """A real SMTP server on loopback; the app sends its mail there."""
    import socket

    from aiosmtpd.controller import Controller

    handler = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    yield handler
    controller.stop()


@pytest.fixture
def held_queue(app):
    """A SQLite job queue of this test's own that no worker consumes: jobs wait in it."""
    import uuid

    from trainer.jobs import jobs

    saved = {key: app.config.get(key) for key in ("QUEUE_URL", "QUEUE_NAME")}
    previous = app.extensions.pop("trainer_jobs", None)
    app.config.update(QUEUE_URL="sqlite", QUEUE_NAME=f"held-{uuid.uuid4().hex[:8]}")
    queue = jobs(app).huey
    try:
        yield queue
    finally:
        queue.flush()
        app.extensions.pop("trainer_jobs", None)
        if previous is not None:
            app.extensions["trainer_jobs"] = previous
        app.config.update(saved)


from tests.openapi_check import checked_api_responses  # noqa: E402,F401  (the fixture)


@pytest.fixture(autouse=True)
def _api_responses_match_the_document(checked_api_responses: None) -> None:  # noqa: F811
    """Every API response in these tests is checked against the OpenAPI document."""
