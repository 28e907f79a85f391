"""Reading staff lists: every bad-file case gets a line, a column and a reason."""

from __future__ import annotations

from trainer.orgs import staff_csv
from trainer.orgs.staff_csv import read_staff

PROFESSIONS = ("police", "health", "media", "licensed")
HEADER = "email,full_name,profession,unit\n"


def errors(content: bytes) -> list[str]:
    return [str(e) for e in read_staff(content, PROFESSIONS).errors]


def test_a_good_file_reads_every_row():
    staff = read_staff(
        (
            HEADER + "A@Example.org,Ana Lima,police,North/District 4\n"
            "b@example.org,  Bo   Chen ,Health,Station A\n"
        ).encode(),
        PROFESSIONS,
    )
    assert staff.errors == []
    assert [(r.line, r.email, r.full_name, r.profession) for r in staff.rows] == [
        (2, "a@example.org", "Ana Lima", "police"),
        (3, "b@example.org", "Bo Chen", "health"),
    ]


def test_a_missing_column_is_named():
    assert errors(b"email,full_name,unit\na@example.org,Ana,North\n") == [
        "line 1, profession: The header row has no 'profession' column. Columns: email, "
        "full_name, profession, unit (required), licence_type, licence_number, licensing_board, "
        "country, region "
        "(optional); separated by ',' or ';'."
    ]


def test_an_unknown_column_is_named():
    assert "Unknown column 'shoe_size'" in errors((HEADER.strip() + ",shoe size\n").encode())[0]


def test_a_bad_email_gives_its_line():
    assert errors(
        (HEADER + "a@example.org,Ana,police,North\nnot-an-email,Bo,police,North\n").encode()
    ) == ["line 3, email: 'not-an-email' is not an email address."]


def test_an_unknown_profession_lists_the_known_ones():
    assert errors((HEADER + "a@example.org,Ana,pilot,North\n").encode()) == [
        "line 2, profession: Unknown profession 'pilot'; "
        "use one of health, licensed, media, police."
    ]


def test_a_duplicate_email_points_at_the_first_line():
    content = HEADER + "a@example.org,Ana,police,North\nA@example.org,Ana again,police,North\n"
    assert errors(content.encode()) == ["line 3, email: a@example.org is also on line 2."]


def test_a_byte_order_mark_and_semicolons_are_fine():
    content = (
        "\ufeffemail;full name;profession;unit\r\nd@example.org;Дарья Иванова;police;North\r\n"
    )
    staff = read_staff(content.encode("utf-8"), PROFESSIONS)
    assert staff.errors == []
    assert staff.rows[0].full_name == "Дарья Иванова"


def test_names_in_any_script_survive():
    names = ["محمد الأحمد", "अनीता शर्मा", "王小明", "Σοφία Παπαδοπούλου"]
    content = HEADER + "".join(f"p{i}@example.org,{n},health,North\n" for i, n in enumerate(names))
    assert [r.full_name for r in read_staff(content.encode(), PROFESSIONS).rows] == names


def test_a_file_that_is_not_utf8_says_how_to_fix_it():
    content = (HEADER + "a@example.org,Ana,police,North\nb@example.org,Jos").encode() + b"\xe9\n"
    (message,) = errors(content)
    assert message.startswith("line 3, file: This file is not UTF-8 text (byte 0xe9")
    assert "save it as 'CSV UTF-8'" in message


def test_too_many_rows_are_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(staff_csv, "MAX_ROWS", 3)
    content = HEADER + "".join(f"p{i}@example.org,P {i},police,North\n" for i in range(4))
    (message,) = errors(content.encode())
    assert message == (
        "line 5, file: The file is too large: at most 3 staff and 16 MB per upload. "
        "Split it into several files and upload each."
    )


def test_too_many_bytes_are_refused_before_reading(monkeypatch):
    monkeypatch.setattr(staff_csv, "MAX_BYTES", 100)
    assert "The file is too large" in errors(b"x" * 101)[0]


def test_an_empty_file_and_a_header_alone_are_explained():
    assert errors(b"") == ["line 1, file: The file is empty: it needs a header row."]
    assert errors(HEADER.encode()) == ["line 2, file: The file has no staff rows."]


def test_fifty_thousand_rows_read_in_one_pass():
    content = HEADER + "".join(f"p{i}@example.org,Person {i},police,North\n" for i in range(50_000))
    staff = read_staff(content.encode(), PROFESSIONS)
    assert staff.errors == [] and len(staff.rows) == 50_000
