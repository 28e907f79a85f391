"""Reading a course in the interface language: pages, catalogue and shared progress."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.variants import FRENCH, SPANISH, spanish_app


@pytest.fixture(scope="module")
def app(app, tmp_path_factory):
    yield from spanish_app(app, tmp_path_factory)


def test_a_module_reads_in_spanish_with_spanish_contacts(client, make, auth):
    make.user(country="US")
    auth.login()
    page = client.get("/courses/basics/modules/report", headers=SPANISH).get_data(as_text=True)
    assert '<h1 lang="es">Denunciar</h1>' in page
    assert '<span lang="es">Describe violencia.</span>' in page
    assert '<div lang="es"><p>Antes de los contactos.</p></div>' in page
    assert "Estados Unidos" in page
    assert "Línea Nacional contra la Trata de Personas" in page
    assert "Before the contacts." not in page


def test_the_same_module_in_english_is_not_served_from_the_spanish_cache(client):
    spanish = client.get("/courses/basics/modules/report", headers=SPANISH).get_data(as_text=True)
    english = client.get("/courses/basics/modules/report").get_data(as_text=True)
    assert "Antes de los contactos." in spanish
    assert '<div lang="en"><p>Before the contacts.</p></div>' in english
    assert "Antes de los contactos." not in english


def test_the_catalogue_lists_each_course_once_in_the_chosen_variant(client):
    spanish = client.get("/courses?profession=health", headers=SPANISH).get_data(as_text=True)
    assert spanish.count('href="/courses/basics"') == 1
    assert "Lo básico" in spanish
    assert "Personal sanitario" in spanish  # the profession filter, translated
    assert "<strong>Sanidad</strong>" in spanish  # the curriculum
    english = client.get("/courses").get_data(as_text=True)
    assert "Lo básico" not in english and ">Basics<" in english


def test_the_course_page_names_its_languages(client):
    page = client.get("/courses/basics", headers=SPANISH).get_data(as_text=True)
    assert "<h1>Lo básico</h1>" in page
    assert '<span lang="en">English</span> · <span lang="es">Español</span>' in page
    assert "Definiciones" in page  # a content area, in Spanish
    assert "not available in" not in page


def test_the_course_page_says_when_the_interface_language_has_no_variant(client):
    page = client.get("/courses/basics", headers=FRENCH).get_data(as_text=True)
    assert "<h1>Basics</h1>" in page
    # The sentence comes from the interface catalogue, and the language names are French.
    assert "Ce cours n'est pas disponible en Français. Vous le lisez en Anglais." in page


def test_progress_is_shared_across_languages(client, make, auth):
    make.user()
    auth.login()
    page = "/courses/basics/modules/what"
    response = client.post(
        f"{page}/complete", data={"csrf_token": csrf_token(client, page)}, headers=SPANISH
    )
    assert response.headers["Location"].endswith("/courses/basics/modules/report")
    english = client.get("/courses/basics").get_data(as_text=True)
    assert "Continue: Reporting" in english
    spanish = client.get(page, headers=SPANISH).get_data(as_text=True)
    assert "Ha completado este módulo." in spanish


def test_registration_offers_professions_in_the_interface_language(client):
    page = client.get("/register", headers=SPANISH).get_data(as_text=True)
    assert '<option value="health">Personal sanitario</option>' in page
