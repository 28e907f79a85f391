"""A certificate records the language its course was taken in; a variant keeps its rules."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.certificates.helpers import pass_course_via_api
from tests.progress import place
from tests.variants import spanish_app
from trainer.certificates.credential import credential_payload
from trainer.certificates.pdfread import printed_fields
from trainer.certificates.requirements import course_requirements
from trainer.cli import main
from trainer.config import PROJECT_ROOT
from trainer.content.loader import read_catalogue
from trainer.models import Certificate


@pytest.fixture(scope="module")
def app(app, tmp_path_factory):
    yield from spanish_app(app, tmp_path_factory)


def only_certificate(client, headers):
    (certificate,) = client.get("/api/v1/me/certificates", headers=headers).json["certificates"]
    return certificate


def test_the_certificate_of_a_spanish_attempt_says_spanish_everywhere(app, client, make, db):
    nurse = make.user(full_name="Lucía Fernández")
    headers = make.api_headers(nurse)
    attempt = pass_course_via_api(client, app, headers, slug="basics", language="es")
    assert attempt["language"] == "es"

    listed = only_certificate(client, headers)
    assert listed["course"]["title"] == "Lo básico"
    assert listed["course"]["language"] == "es"
    cert_id = listed["id"].replace("-", "")

    verified = client.get(f"/api/v1/verify/{cert_id}").json["certificate"]
    assert (verified["course"]["title"], verified["course"]["language"]) == ("Lo básico", "es")
    page = client.get(f"/verify/{cert_id}").get_data(as_text=True)
    assert '<dt>Language</dt><dd><span lang="es">Español</span> (es)</dd>' in page

    token = client.get(f"/certificates/{cert_id}.json", headers=headers).json
    achievement = credential_payload(token["credential"]["jwt"])["credentialSubject"]["achievement"]
    assert (achievement["name"], achievement["inLanguage"]) == ("Lo básico", "es")

    pdf = client.get(f"/certificates/{cert_id}.pdf", headers=headers).data
    fields = printed_fields(pdf).fields
    assert fields["course_title"] == ("Lo básico",)
    assert fields["language"] == ("Language: Español (es)",)
    assert set(fields["content_area"]) == {"Definiciones", "Denuncia"}


def test_the_language_is_the_passed_attempts_even_if_the_last_module_is_read_in_english(
    client, make, db
):
    headers = make.api_headers(place(db, make.user(), "US-MI"))
    client.post("/api/v1/courses/basics/modules/what/complete", headers=headers)
    start = "/api/v1/courses/basics/attempts?language=es"
    attempt = client.post(start, headers=headers).json["attempt"]
    answers = {"basics-define": "three", "basics-respond": "adult-decides"}
    submitted = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit", headers=headers, json={"answers": answers}
    )
    assert submitted.json["attempt"]["passed"]
    assert client.get("/api/v1/me/certificates", headers=headers).json["certificates"] == []
    client.post("/api/v1/courses/basics/modules/report/complete", headers=headers)
    certificate = only_certificate(client, headers)
    assert (certificate["course"]["language"], certificate["course"]["title"]) == (
        "es",
        "Lo básico",
    )
    assert [r["slug"] for r in certificate["requirements"]] == ["us-mi"]


def test_the_spanish_health_course_satisfies_the_same_requirement_sets():
    catalogue, problems = read_catalogue(PROJECT_ROOT / "courses")
    assert problems == []
    english = catalogue.courses["health"]
    spanish = catalogue.in_language("es").courses["health"]
    assert spanish.language == "es" and spanish.title.startswith(
        "La trata de personas en la atención de salud"
    )
    rules = catalogue.requirement_sets.values()

    def satisfied(course):
        return [r.requirement.slug for r in course_requirements(course, rules) if r.satisfied]

    def aligned(course):
        return [r.requirement.slug for r in course_requirements(course, rules) if r.aligned]

    # A fresh install holds no approvals: nothing satisfied, the same rules aligned.
    assert satisfied(spanish) == satisfied(english) == []
    assert aligned(spanish) == aligned(english)
    assert {"us-mi-licensee-training", "us-fl-456-0341"} <= set(aligned(spanish))


def test_an_in_person_session_given_in_spanish_is_recorded_in_spanish(app, make, db):
    make.user("walkin@example.org")
    args = ["certificates", "issue", "--email", "walkin@example.org", "--course", "basics"]
    args += ["--reason", "Sesión presencial, Miami"]
    refused = CliRunner().invoke(main, [*args, "--language", "fr"], obj=app)
    assert refused.exit_code == 1
    assert "basics is available in en, es, not 'fr'." in refused.output
    issued = CliRunner().invoke(main, [*args, "--language", "es"], obj=app)
    assert issued.exit_code == 0, issued.output
    certificate = db.scalar(select(Certificate).where(Certificate.source == "manual"))
    assert (certificate.language, certificate.course_title) == ("es", "Lo básico")
