"""What every page gives a signed-in learner: the way to courses and certificates, a favicon,
and course facts without hashes as headlines."""

from __future__ import annotations

import re

from tests.progress import finish_and_issue
from trainer.content.catalogue import catalogue


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'href="([^"]+)"', nav)


def test_signed_in_navigation_leads_to_courses_and_certificates(client, make, auth):
    make.user()
    auth.login()
    links = nav_links(client.get("/dashboard").get_data(as_text=True))
    assert links[:4] == ["/dashboard", "/courses", "/certificates", "/account"]
    for link in links[:4]:
        assert client.get(link).status_code == 200


def test_every_page_links_a_favicon_that_is_served(client):
    html = client.get("/").get_data(as_text=True)
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert len(icons) == 2
    types = []
    for icon in icons:
        response = client.get(icon)
        assert response.status_code == 200
        assert len(response.data) < 8000  # small: it is fetched with the first page
        types.append(response.mimetype)
        response.close()
    assert types[0] == "image/svg+xml"


def test_the_course_page_shows_no_version_hash(client, app):
    with app.app_context():
        version = catalogue().courses["health"].version
    page = client.get("/courses/health").get_data(as_text=True)
    assert version not in page
    assert ">Version<" not in page


def test_the_verify_page_keeps_the_version_labelled_and_last(app, client, make, db):
    user = make.user()
    with app.app_context():
        certificate = finish_and_issue(app, db, user, catalogue().courses["health"])
    page = re.sub(r"\s+", " ", client.get(f"/verify/{certificate.id}").get_data(as_text=True))
    course_row = re.search(r"<dt>Course</dt><dd>(.*?)</dd>", page).group(1)
    assert certificate.course_version not in course_row
    assert re.search(
        rf'<dt>Course version</dt><dd class="meta">{certificate.course_version} '
        r"<span>\(identifies the exact text taken, for audits\)</span></dd> </dl>",
        page,
    )
