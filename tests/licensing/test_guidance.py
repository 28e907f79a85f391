"""Personal guidance: the course page, dashboard, certificates page and catalogue filter."""

from __future__ import annotations

from tests.progress import approve, place


def test_a_michigan_nurse_reads_what_the_course_meets_for_her(app, client, make, auth, db):
    approve(app, db, "us-mi-licensee-training", "health-organisation", number="MI-77")
    place(db, make.user(), "US-MI", "nurse")
    auth.login()
    page = client.get("/courses/health").get_data(as_text=True)
    assert "For your licence as a Michigan nurse, this course meets: Michigan" in page
    assert "Approval MI-77" in page
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Your licence" in dashboard and "met by Human trafficking in health care" in dashboard


def test_a_texas_cosmetologist_is_told_no_approved_rule_covers_her(client, make, auth, db):
    place(db, make.user(profession="licensed"), "US-TX", "cosmetologist")
    auth.login()
    page = client.get("/courses/licensed").get_data(as_text=True)
    assert "No rule we hold an approval for covers a Texas cosmetologist." in page
    assert "Content aligned with Texas: human trafficking prevention for cosmetology" in page
    assert "Michigan" not in page.split("For your licence")[1].split("</section>")[0]


def test_without_region_or_licence_the_learner_is_asked_for_them(client, make, auth):
    make.user()
    auth.login()
    page = client.get("/courses/health").get_data(as_text=True)
    assert "Add your state or province and your licence type" in page


def test_the_catalogue_shows_the_courses_that_meet_a_chosen_rule(app, client, db):
    page = client.get("/courses?rule=us-tx-cosmetology-83-25").get_data(as_text=True)
    assert "Human trafficking for licensed professionals" in page or "/courses/licensed" in page
    assert "/courses/police" not in page and "/courses/media" not in page
    assert "only aligned with it" in page
    approve(app, db, "us-tx-cosmetology-83-25")
    page = client.get("/courses?rule=us-tx-cosmetology-83-25").get_data(as_text=True)
    assert "only aligned with it" not in page
    nurses = client.get("/courses?rule=us-fl-464-013-nurses").get_data(as_text=True)
    assert "No course here meets this rule" in nurses
