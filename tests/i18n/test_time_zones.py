"""Times in the reader's zone, with its offset, across daylight-saving changes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale

from tests.conftest import csrf_token
from trainer.audit import record_event
from trainer.i18n.formatting import local_date, local_datetime, local_datetime_utc
from trainer.i18n.zones import default_zone, zone_of

DETROIT = ZoneInfo("America/Detroit")
NAIROBI = ZoneInfo("Africa/Nairobi")


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        # Winter, Eastern Standard Time.
        (datetime(2026, 1, 15, 14, 30, tzinfo=UTC), "Jan 15, 2026, 9:30\u202fAM UTC\u22125"),
        # Summer, Eastern Daylight Time: the same UTC hour is an hour later on the wall.
        (datetime(2026, 7, 15, 14, 30, tzinfo=UTC), "Jul 15, 2026, 10:30\u202fAM UTC\u22124"),
        # Either side of the change on 8 March 2026 at 2:00 local (07:00 UTC).
        (datetime(2026, 3, 8, 6, 59, tzinfo=UTC), "Mar 8, 2026, 1:59\u202fAM UTC\u22125"),
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "Mar 8, 2026, 3:00\u202fAM UTC\u22124"),
        # And back on 1 November 2026: 1:30 local happens twice.
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "Nov 1, 2026, 1:30\u202fAM UTC\u22124"),
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "Nov 1, 2026, 1:30\u202fAM UTC\u22125"),
    ],
)
def test_detroit_times_follow_daylight_saving(app, moment, shown):
    with app.test_request_context(), force_locale("en"):
        assert local_datetime(moment, DETROIT) == shown


def test_a_moment_near_midnight_is_the_readers_own_day(app):
    moment = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
    with app.test_request_context(), force_locale("fr"):
        assert local_date(moment, DETROIT) == "22 nov. 2026"
        assert local_date(moment, NAIROBI) == "23 nov. 2026"
        # A calendar date (a completion date) is never moved.
        assert local_date(date(2026, 11, 23), DETROIT) == "23 nov. 2026"


def test_deadlines_show_utc_beside_the_local_time(app):
    with app.test_request_context(), force_locale("es"):
        same_day = datetime(2026, 7, 15, 14, 30, tzinfo=UTC)
        assert local_datetime_utc(same_day, DETROIT) == "15 jul 2026, 10:30 UTC\u22124 (14:30 UTC)"
        next_day = datetime(2026, 7, 16, 2, 30, tzinfo=UTC)
        assert local_datetime_utc(next_day, DETROIT) == (
            "15 jul 2026, 22:30 UTC\u22124 (16 jul 2026, 2:30 UTC)"
        )
        assert local_datetime_utc(same_day, ZoneInfo("UTC")) == "15 jul 2026, 14:30 UTC"
        assert local_datetime(same_day, ZoneInfo("Asia/Kolkata")).endswith("UTC+5:30")


def test_the_default_zone_follows_the_region_then_the_country():
    assert default_zone("US", "US-MI") == "America/Detroit"
    assert default_zone("CA", "CA-BC") == "America/Vancouver"
    assert default_zone("KE", None) == "Africa/Nairobi"  # one zone for the country
    assert default_zone("US", None) is None  # several: UTC until chosen
    assert zone_of(None, "US", None).key == "UTC"
    assert zone_of("Europe/Paris", "US", "US-MI").key == "Europe/Paris"  # a choice wins


def test_a_signed_in_reader_sees_her_zone_and_utc_where_it_matters(client, make, auth, db):
    organisation = make.organisation("moi", "Ministry")
    admin = make.user(
        "admin@moi.example",
        role="org_admin",
        organisation=organisation,
        profession=None,
        country="US",
        region="US-MI",
    )
    event = record_event(
        db, "unit.create", actor=admin, target_type="unit", organisation_id=organisation.id
    )
    event.at = datetime(2026, 1, 15, 14, 30, tzinfo=UTC)
    db.commit()
    auth.login("admin@moi.example")
    audit = client.get("/orgs/moi/audit").get_data(as_text=True)
    assert "Jan 15, 2026, 9:30\u202fAM UTC\u22125 (2:30\u202fPM UTC)" in audit
    account = client.get("/account").get_data(as_text=True)
    assert re.search(r"since [^<]* UTC\u2212[45]", account)  # Detroit, summer or winter
    response = client.post(
        "/account",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "full_name": "Org Admin",
            "country": "US",
            "region": "US-MI",
            "timezone": "Asia/Kolkata",
        },
    )
    assert response.status_code == 302
    db.refresh(admin)
    assert admin.timezone == "Asia/Kolkata"
    audit = client.get("/orgs/moi/audit").get_data(as_text=True)
    assert "Jan 15, 2026, 8:00\u202fPM UTC+5:30 (2:30\u202fPM UTC)" in audit


def test_an_anonymous_reader_reads_utc(client, app):
    with app.test_request_context():
        assert local_datetime(datetime(2026, 1, 15, 14, 30, tzinfo=UTC)).endswith("PM UTC")
