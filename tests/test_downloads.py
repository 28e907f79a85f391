"""CSV downloads open in Excel: a UTF-8 byte-order mark, and the separator asked for."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import BadRequest

from trainer.downloads import csv_response, locale_separator, separator


def test_the_separator_comes_from_sep(app):
    with app.test_request_context():
        assert separator({}) == ","
        assert separator({"sep": ";"}) == ";"
        assert separator({"sep": "tab"}) == "\t"
        with pytest.raises(BadRequest) as error:
            separator({"sep": "|"})
        assert "sep=;" in str(error.value.description)


def test_every_download_starts_with_a_bom_once(app):
    with app.test_request_context():
        response = csv_response("a,b\n1,2\n", "x.csv")
        again = csv_response("\ufeffa,b\n", "x.csv")
    assert response.data == "\ufeffa,b\n1,2\n".encode()
    assert again.data.count("\ufeff".encode()) == 1
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'


@pytest.mark.parametrize(("language", "expected"), [("en", ","), ("fr", ";"), ("es", ";")])
def test_the_pages_offer_the_readers_separator_first(app, language, expected):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert locale_separator() == expected
