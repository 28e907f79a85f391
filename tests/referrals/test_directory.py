"""The directory page: all-or-nothing uploads, browser entry, reviews, inheritance, cache."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.referrals.conftest import MODULE, STORY_CSV, upload
from trainer.models import AuditEvent, utcnow
from trainer.models.referral import ReferralContact, ReferralStep
from trainer.orgs.scope import Scope
from trainer.orgs.units import create_unit

HEADER = "type,unit,language,profession,role,name,phone,text,email,hours,languages,address,step\n"


def _count(db, model) -> int:
    return db.scalar(select(func.count(model.id)))


def test_one_bad_line_imports_nothing_and_names_the_line(client, auth, db, ministry):
    auth.login("admin@moh.example")
    bad = STORY_CSV.replace("+266 2232 0000,,,Mon-Fri", "2232 0000,,,Mon-Fri", 1)
    response = upload(client, ministry.org.slug, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page and "line 6" in page and "country code" in page
    assert _count(db, ReferralContact) == 0 and _count(db, ReferralStep) == 0


def test_uploading_again_replaces_the_units_entries_in_that_language(client, auth, db, ministry):
    auth.login("admin@moh.example")
    assert upload(client, ministry.org.slug, STORY_CSV).status_code == 302
    again = HEADER + "contact,Maseru District,en,,hotline,Maseru Helpline,112,,,,,,\n"
    assert upload(client, ministry.org.slug, again).status_code == 302
    names = set(db.scalars(select(ReferralContact.name)))
    assert "Maseru Helpline" in names and "Maseru Safe House" not in names
    assert "Casa segura de Maseru" in names  # Spanish rows were not in the second file
    events = db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("referrals.%")))
    assert list(events) == ["referrals.import", "referrals.import"]


def test_a_unit_scoped_admin_cannot_write_outside_their_unit(client, auth, db, make, ministry):
    make.user("maseru@moh.example", role="org_admin", organisation=ministry.org)
    admin = db.scalar(select(type(ministry.admin)).filter_by(email="maseru@moh.example"))
    admin.admin_unit_id = ministry.maseru.id
    db.commit()
    auth.login("maseru@moh.example")
    content = (
        HEADER
        + "contact,Leribe District,en,,shelter,Leribe House,+266 2231 2345,,,,,,\n"
        + "contact,,en,,shelter,Ministry House,+266 2231 2345,,,,,,\n"
    )
    page = upload(client, ministry.org.slug, content).get_data(as_text=True)
    assert "line 2" in page and "no unit" in page and "line 3" in page
    assert _count(db, ReferralContact) == 0


def test_another_organisations_admin_sees_nothing(client, auth, ministry):
    auth.login("admin@moh.example")
    upload(client, ministry.org.slug, STORY_CSV)
    auth.logout()
    auth.login("admin@else.example")
    assert client.get(f"/orgs/{ministry.org.slug}/referrals").status_code == 404
    page = client.get(f"/orgs/{ministry.other.slug}/referrals").get_data(as_text=True)
    assert "Maseru" not in page


def test_a_contact_added_in_the_browser_is_checked_like_a_file_row(client, auth, db, ministry):
    auth.login("admin@moh.example")
    path = f"/orgs/{ministry.org.slug}/referrals"
    form = {
        "csrf_token": csrf_token(client, path),
        "unit": str(ministry.maseru.id),
        "language": "",
        "role": "legal-aid",
        "name": "Maseru Legal Aid",
        "phone": "2231 2345",
    }
    response = client.post(f"{path}/contacts", data=form)
    assert response.status_code == 400
    assert "country code" in response.get_data(as_text=True)
    assert _count(db, ReferralContact) == 0
    form["phone"] = "+266 2231 2345"
    assert client.post(f"{path}/contacts", data=form).status_code == 302
    contact = db.scalar(select(ReferralContact))
    assert (contact.phone, contact.unit_id, contact.reviewed_by_id) == (
        "+26622312345",
        ministry.maseru.id,
        ministry.admin.id,
    )
    page = client.get(path).get_data(as_text=True)
    assert "Maseru Legal Aid" in page and 'href="tel:+26622312345"' in page


def test_a_protocol_set_in_the_browser_is_ordered_and_sanitised(client, auth, db, ministry):
    auth.login("admin@moh.example")
    path = f"/orgs/{ministry.org.slug}/referrals"
    form = {
        "csrf_token": csrf_token(client, path),
        "unit": str(ministry.maseru.id),
        "language": "en",
        "profession": "health",
        "steps": "First <script>alert(1)</script> **calm**\nSecond step\n\nThird step",
    }
    assert client.post(f"{path}/protocol", data=form).status_code == 302
    assert list(db.scalars(select(ReferralStep.position).order_by(ReferralStep.id))) == [1, 2, 3]
    auth.logout()
    auth.login("nurse@moh.example")
    page = client.get(MODULE).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<strong>calm</strong>" in page
    assert page.index("Second step") < page.index("Third step")


def test_entries_not_reviewed_in_a_year_are_listed_until_reviewed(client, auth, db, ministry):
    auth.login("admin@moh.example")
    upload(client, ministry.org.slug, STORY_CSV)
    for contact in db.scalars(select(ReferralContact).where(ReferralContact.language == "en")):
        contact.reviewed_at = utcnow() - timedelta(days=400)
    db.commit()
    path = f"/orgs/{ministry.org.slug}/referrals"
    page = client.get(path).get_data(as_text=True)
    assert "2 entries not reviewed in 12 months" in page
    overview = client.get(f"/orgs/{ministry.org.slug}/").get_data(as_text=True)
    assert "2 entries not reviewed in 12 months" in overview
    form = {"csrf_token": csrf_token(client, path), "unit": str(ministry.maseru.id)}
    assert client.post(f"{path}/review", data=form).status_code == 302
    assert "not reviewed in 12 months" not in client.get(path).get_data(as_text=True)


def test_a_nearer_unit_overrides_an_inherited_contact_and_the_page_follows(
    client, auth, db, ministry
):
    auth.login("admin@moh.example")
    region = (
        HEADER
        + "contact,Lowlands,,,shelter,Lowlands Shelter,+266 2231 0000,,,,,,\n"
        + "contact,,,,hotline,Ministry Helpline,+266 2231 1111,,,,,,\n"
    )
    assert upload(client, ministry.org.slug, region).status_code == 302
    auth.logout()
    auth.login("nurse@moh.example")
    page = client.get(MODULE).get_data(as_text=True)
    assert page.index("Lowlands protocol") < page.index("Ministry of Health protocol")
    assert "+266 2231 0000" in page and "Ministry Helpline" in page
    auth.logout()
    auth.login("admin@moh.example")
    district = HEADER + "contact,Maseru District,,,shelter,Lowlands Shelter,+266 2231 9999,,,,,,\n"
    assert upload(client, ministry.org.slug, district).status_code == 302
    auth.logout()
    auth.login("nurse@moh.example")
    page = client.get(MODULE).get_data(as_text=True)  # the cached fragment was replaced
    assert "+266 2231 9999" in page and "+266 2231 0000" not in page
    assert page.index("Maseru District protocol") < page.index("Ministry of Health protocol")


def test_a_learner_outside_any_organisation_sees_the_page_as_before(client, auth, make, db):
    make.user("solo@example.org")
    auth.login("solo@example.org")
    page = client.get(MODULE).get_data(as_text=True)
    assert "National Human Trafficking Hotline" in page
    assert "Your local referral protocol" not in page
    text = client.get("/dashboard/protocol-card.pdf")
    assert text.status_code == 200 and text.data.startswith(b"%PDF")


def test_deeper_units_are_nearest_first(db, ministry, app):
    with app.app_context():
        from trainer.referrals.services import learner_levels

        clinic = create_unit(
            db, Scope(ministry.org), name="Clinic", kind="hospital", parent=ministry.maseru
        )
        for unit in (ministry.lowlands, clinic, ministry.maseru):
            db.add(
                ReferralContact(
                    organisation_id=ministry.org.id,
                    unit_id=unit.id,
                    role="ngo",
                    name=f"{unit.name} NGO",
                    phone="112",
                    language="",
                )
            )
        db.flush()
        levels = learner_levels(db, ministry.org, clinic, "health", "en")
        assert [level.label for level in levels] == ["Clinic", "Maseru District", "Lowlands"]


def test_a_contact_is_removed_only_by_an_admin_whose_scope_covers_it(
    client, auth, db, make, ministry
):
    auth.login("admin@moh.example")
    upload(client, ministry.org.slug, STORY_CSV)
    shelter = db.scalar(select(ReferralContact).filter_by(name="Maseru Safe House"))
    path = f"/orgs/{ministry.org.slug}/referrals"
    auth.logout()
    make.user("leribe@moh.example", role="org_admin", organisation=ministry.org)
    leribe_admin = db.scalar(select(type(ministry.admin)).filter_by(email="leribe@moh.example"))
    leribe_admin.admin_unit_id = ministry.leribe.id
    db.commit()
    auth.login("leribe@moh.example")
    form = {"csrf_token": csrf_token(client, path), "contact": str(shelter.id)}
    assert client.post(f"{path}/remove", data=form).status_code == 404
    auth.logout()
    auth.login("admin@moh.example")
    form = {"csrf_token": csrf_token(client, path), "contact": str(shelter.id)}
    assert client.post(f"{path}/remove", data=form).status_code == 302
    assert db.scalar(select(ReferralContact).filter_by(name="Maseru Safe House")) is None
    removed = db.scalar(select(AuditEvent).filter_by(action="referrals.contact_remove"))
    assert removed.detail["name"] == "Maseru Safe House"


def test_renaming_a_unit_renews_the_cached_directory(client, auth, db, ministry):
    auth.login("admin@moh.example")
    upload(client, ministry.org.slug, STORY_CSV)
    auth.logout()
    auth.login("nurse@moh.example")
    assert "Maseru District protocol" in client.get(MODULE).get_data(as_text=True)
    ministry.maseru.name = "Maseru Urban"
    db.commit()
    page = client.get(MODULE).get_data(as_text=True)
    assert "Maseru Urban protocol" in page and "Maseru District protocol" not in page
