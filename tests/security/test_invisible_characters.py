"""Bidi controls and other invisible characters in names, licence fields and unit names.

The penetration test stored a name with a right-to-left override through the
staff list, and the verify page then showed it as "John Doe".
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.certificates.helpers import finish_course
from tests.conftest import csrf_token
from trainer.cli import main
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import read_staff
from trainer.orgs.units import UnitError, create_unit
from trainer.text_safety import invisible_character, invisible_problem, visible_form

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]  # fmt: skip
OTHER_INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\ufeff", "\U000e0041", "\u3164", "\ue000"]


@pytest.mark.parametrize("character", BIDI + OTHER_INVISIBLE)
def test_every_invisible_character_is_found_with_its_position(character):
    assert invisible_character(f"Ana{character} Lima") == (4, character)


@pytest.mark.parametrize(
    "name",
    [
        "نسرین\u200cدخت",  # Persian: the non-joiner between two letters spells the name
        "मिन्\u200dनी",  # Devanagari: a joiner after a virama
        "Zoë O'Brien-Łukasiewicz",
        "أميرة حداد",
        "李小龍",
    ],
)
def test_names_in_any_script_with_joiners_where_scripts_need_them_pass(name):
    assert invisible_character(name) is None


@pytest.mark.parametrize("name", ["\u200dAna", "Ana\u200c", "Ana \u200d Lima", "A\u200d\u200dB"])
def test_joiners_that_join_nothing_are_refused(name):
    assert invisible_character(name) is not None


def test_the_message_names_the_field_the_character_and_where(app):
    with app.test_request_context():
        message = invisible_problem("John\u202eeoD", "Full name")
    assert message == (
        "Full name: character 5 is invisible (U+202E RIGHT-TO-LEFT OVERRIDE) and could make "
        "the text show differently from what it says. Type it again without that character."
    )


def register(client, **fields):
    form = {
        "csrf_token": csrf_token(client, "/register"),
        "email": "new@example.org",
        "full_name": "Amina Haddad",
        "profession": "health",
        "country": "US",
        "region": "US-MI",
        "licence_type": "nurse",
        "password": "a long and unusual passphrase",
        "confirm": "a long and unusual passphrase",
        **fields,
    }
    return client.post("/register", data=form)


@pytest.mark.parametrize(
    ("field", "label"),
    [("licence_number", "Licence number"), ("licensing_board", "Licensing board")],
)
def test_registration_refuses_them_in_licence_fields(client, field, label):
    response = register(client, **{field: "RN-44\u2067100"})
    assert response.status_code == 400
    assert f"{label}: character 6 is invisible (U+2067 RIGHT-TO-LEFT ISOLATE)" in (
        response.get_data(as_text=True)
    )


def test_the_staff_list_refuses_them_in_names_units_and_licences():
    content = (
        "email,full_name,profession,unit,licence_number\n"
        "a@example.org,\u202eeoD nhoJ,police,North,\n"
        "b@example.org,Bo Chen,police,Nor\u200bth,\n"
        "c@example.org,Cy Diaz,police,North,RN\u200f1\n"
    ).encode()
    errors = [str(e) for e in read_staff(content, ("police",)).errors]
    assert len(errors) == 3
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in errors[0] and "2" in errors[0]
    assert "U+200B ZERO WIDTH SPACE" in errors[1]
    assert "U+200F RIGHT-TO-LEFT MARK" in errors[2]


def test_unit_names_refuse_them(app, make, db):
    organisation = make.organisation("moh")
    with app.test_request_context(), pytest.raises(UnitError, match="U\\+2066 LEFT-TO-RIGHT"):
        create_unit(db, Scope(organisation), name="North\u2066", kind="region", parent=None)


def test_the_command_line_refuses_them(app, db):
    def run(*args: str):
        return CliRunner().invoke(main, list(args), obj=app)

    org = run("orgs", "create", "--slug", "moh", "--name", "Ministry\u202e of Health")
    assert org.exit_code == 1 and "U+202E RIGHT-TO-LEFT OVERRIDE" in org.output
    user = run("users", "create", "--email", "x@example.org", "--name", "X\u200bY")
    assert user.exit_code == 1 and "Full name: character 2 is invisible" in user.output


def test_a_stored_override_cannot_show_as_another_name_on_the_verify_page(app, make, db, client):
    nurse = make.user("nurse@example.org", full_name="Placeholder")
    nurse.full_name = "\u202eeoD nhoJ"  # stored before these checks, or by a direct import
    db.flush()
    certificate = finish_course(app, db, nurse)
    page = client.get(f"/verify/{certificate.id}").get_data(as_text=True)
    assert "\u202e" not in page
    assert "<bdi>[U+202E]eoD nhoJ</bdi>" in page
    assert "This name contains hidden characters" in page


def test_visible_form_keeps_ordinary_text():
    assert visible_form("أميرة حداد") == "أميرة حداد"
    assert visible_form("a\u2066b") == "a[U+2066]b"
