"""The issue's story: a ministry's district directory by CSV, seen by its nurses, on a card."""

from __future__ import annotations

from tests.certificates.test_pdf import pdftotext
from tests.referrals.conftest import MODULE, STORY_CSV, upload


def _positions(page: str, *texts: str) -> list[int]:
    found = [page.find(text) for text in texts]
    assert all(p >= 0 for p in found), [t for t, p in zip(texts, found, strict=True) if p < 0]
    return found


def test_a_district_directory_by_csv_reaches_its_nurses_in_order(client, auth, db, ministry):
    auth.login("admin@moh.example")
    response = upload(client, ministry.org.slug, STORY_CSV)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    auth.logout()

    auth.login("nurse@moh.example")
    page = client.get(MODULE).get_data(as_text=True)
    positions = _positions(
        page,
        "Maseru District protocol, updated",
        "Speak to the patient <strong>alone</strong>",
        "Call the district shelter",
        "Report to the police anti-trafficking unit",
        "Maseru Safe House",
        "Maseru Police Anti-Trafficking Unit",
        "National Human Trafficking Hotline",
    )
    assert positions == sorted(positions)
    assert '<a class="tel" href="tel:+26622312345">+266 2231 2345</a>' in page
    assert "Casa segura" not in page

    ministry.nurse.locale = "es"
    db.commit()
    page = client.get(MODULE).get_data(as_text=True)
    positions = _positions(
        page,
        "Protocolo de Maseru District, actualizado",
        "Hable con el paciente <strong>a solas</strong>",
        "Llame al refugio",
        "Denuncie a la unidad policial",
        "Casa segura de Maseru",
        "Unidad policial contra la trata de Maseru",
        "Línea Nacional contra la Trata de Personas",
    )
    assert positions == sorted(positions)
    assert "Maseru Safe House" not in page
    card = client.get("/dashboard/protocol-card.pdf")
    assert card.status_code == 200 and card.mimetype == "application/pdf"
    text = _pdf_text(card.data)
    assert "Hable con el paciente a solas" in text and "Casa segura de Maseru" in text
    assert "+266 2231 2345" in text and "Estados Unidos" in text
    auth.logout()

    auth.login("nurse2@moh.example")
    page = client.get(MODULE).get_data(as_text=True)
    assert "National Human Trafficking Hotline" in page
    assert "Maseru" not in page and "protocol, updated" not in page
    text = _pdf_text(client.get("/dashboard/protocol-card.pdf").data)
    assert "National Human Trafficking Hotline" in text and "Maseru" not in text


def _pdf_text(pdf: bytes) -> str:
    """The card's text as poppler reads it; the card must be exactly one page."""
    pages = pdftotext(pdf).count("\f")
    assert pages == 1, f"the card has {pages} pages"
    return " ".join(pdftotext(pdf).split())
