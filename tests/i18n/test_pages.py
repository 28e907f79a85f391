"""Pages, messages and mail as a Spanish, French or Arabic reader gets them."""

from __future__ import annotations

import email
import email.policy
import html
import logging
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.certificates.helpers import finish_course
from tests.conftest import PASSWORD, csrf_token
from trainer.accounts.signin import wait_for_deliveries
from trainer.models import Certificate

SPANISH = {"Accept-Language": "es"}


def text_of(response) -> str:
    """The words on a page as a reader sees them: no markup, one space between words."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def subject(message: email.message.EmailMessage) -> str:
    return " ".join(str(message["Subject"]).split())  # long subjects are folded


def sent_mail(caplog) -> list[email.message.EmailMessage]:
    """Messages written to the log (no SMTP server in tests), decoded as a mail client would."""
    marker = "Mail not sent (TRAINER_SMTP_URL is unset):\n"
    return [
        email.message_from_string(r.getMessage().split(marker, 1)[1], policy=email.policy.default)
        for r in caplog.records
        if r.getMessage().startswith(marker)
    ]


@pytest.fixture
def certificate(app, make, db) -> Certificate:
    nurse = make.user("nurse@example.org", full_name="Lucía Ramos")
    issued = finish_course(app, db, nurse)
    issued.completed_on = date(2026, 11, 22)
    db.commit()
    return issued


def test_a_spanish_reader_gets_spanish_words_dates_and_numbers(client, certificate):
    page = text_of(client.get(f"/verify/{certificate.id}", headers=SPANISH))
    assert "Verificación del certificado" in page and "Válido" in page
    assert "Horas de crédito 1,25" in page
    assert "Completado el 22 nov 2026" in page
    english = text_of(client.get(f"/verify/{certificate.id}"))
    assert "Credit hours 1.25" in english and "Completed on Nov 22, 2026" in english


def test_a_french_reader_gets_french_dates_numbers_and_percentages(client, certificate):
    page = text_of(client.get("/courses/health", headers={"Accept-Language": "fr"}))
    assert "Heures de crédit 1,25" in page
    assert "seuil de réussite 80 %" in page  # a no-break space before % in French
    verify = text_of(client.get(f"/verify/{certificate.id}", headers={"Accept-Language": "fr"}))
    assert "Terminé le 22 nov. 2026" in verify


def test_the_learners_pages_in_spanish(client, auth, make, certificate):
    auth.login("nurse@example.org")
    dashboard = text_of(client.get("/dashboard", headers=SPANISH))
    assert "Le damos la bienvenida, Lucía Ramos" in dashboard
    assert "1,25 horas de crédito" in dashboard and "Descargar el PDF" in dashboard
    mine = text_of(client.get("/certificates", headers=SPANISH))
    assert "Sus certificados" in mine and "Completado el 22 nov 2026" in mine


def test_form_errors_come_in_the_readers_language(client):
    response = client.post(
        "/register",
        data={"csrf_token": csrf_token(client, "/register"), "email": "", "password": "short"},
        headers=SPANISH,
    )
    page = text_of(response)
    assert response.status_code == 400
    assert "Corrija lo siguiente" in page
    assert "Este campo es obligatorio." in page  # WTForms' own message, in Spanish
    french = text_of(
        client.post(
            "/login",
            data={
                "csrf_token": csrf_token(client, "/login"),
                "email": "nobody@example.org",
                "password": PASSWORD,
            },
            headers={"Accept-Language": "fr"},
        )
    )
    assert "L'e-mail ou le mot de passe est incorrect." in french


def test_flash_messages_are_translated(client, make, auth):
    make.user()
    auth.login()
    client.set_cookie("trainer_locale", "es")
    response = client.post(
        "/logout", data={"csrf_token": csrf_token(client, "/account")}, follow_redirects=True
    )
    assert "Ha cerrado la sesión." in text_of(response)
    protected = client.get("/dashboard", follow_redirects=True)
    assert "Inicie sesión para ver esta página." in text_of(protected)


def test_country_names_follow_the_page_language(client):
    french = client.get("/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<option value="DE">Allemagne</option>' in french
    # Accents aside: "Égypte" sorts among the E's, not after "Zimbabwe".
    assert french.index(">Égypte<") < french.index(">Espagne<") < french.index(">Zimbabwe<")
    assert '<option value="DE">Germany</option>' in client.get("/register").get_data(as_text=True)


def test_arabic_pages_read_right_to_left(client):
    home = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in home
    assert "تعلَّم كيف تتعرّف على الاتجار بالبشر" in home
    login = text_of(client.get("/login", headers={"Accept-Language": "ar"}))
    assert "تسجيل الدخول" in login and "هل نسيت كلمة المرور؟" in login
    missing = client.get("/no-such-page", headers={"Accept-Language": "ar"})
    assert missing.status_code == 404 and "الصفحة غير موجودة" in text_of(missing)
    assert '<html lang="en" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_the_module_pager_points_the_way_the_page_reads(client):
    path = "/courses/health/modules/warning-signs"
    english = client.get(path).get_data(as_text=True)
    arabic = client.get(path, headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert re.search(r'rel="prev"[^>]*>← ', english) and re.search(
        r'rel="next"[^>]*>[^<]* →<', english
    )
    assert re.search(r'rel="prev"[^>]*>→ ', arabic) and re.search(
        r'rel="next"[^>]*>[^<]* ←<', arabic
    )


def test_mail_is_written_in_the_recipients_language(client, make, db, caplog):
    user = make.user("lucia@example.org", full_name="Lucía Ramos")
    user.locale = "es"
    db.commit()
    with caplog.at_level(logging.INFO, logger="trainer.mail"):
        # Asked for from an English browser: the reader's own choice decides.
        client.post(
            "/account/reset",
            data={"csrf_token": csrf_token(client, "/account/reset"), "email": user.email},
        )
        wait_for_deliveries()  # the reset mail leaves on its own thread, after the answer
    [message] = sent_mail(caplog)
    assert subject(message) == "Elija una nueva contraseña para Trainer"
    assert message.get_content().startswith("Hola, Lucía Ramos:")


def test_the_certificate_mail_uses_the_learners_language(app, make, db, caplog):
    nurse = make.user("camille@example.org", full_name="Camille Martin")
    nurse.locale = "fr"
    db.commit()
    with caplog.at_level(logging.INFO, logger="trainer.mail"):
        issued = finish_course(app, db, nurse)
    [message] = sent_mail(caplog)
    assert subject(message).startswith("Votre certificat : ")
    body = message.get_content()
    assert "Bonjour Camille Martin," in body and "(1,25 heures de crédit)" in body
    assert issued.id in body.replace("-", "")


def test_without_a_chosen_language_mail_is_in_english(make, app, db, caplog):
    nurse = make.user("sam@example.org", full_name="Sam Lee")
    with caplog.at_level(logging.INFO, logger="trainer.mail"):
        finish_course(app, db, nurse)
    [message] = sent_mail(caplog)
    assert subject(message).startswith("Your certificate: ")
    assert "(1.25 credit hours)" in message.get_content()
    stored = db.scalar(select(Certificate).where(Certificate.user_id == nurse.id))
    assert stored is not None
