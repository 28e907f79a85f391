"""Certificate PDF: time to render a full certificate against a bare reportlab page.

The bare page has the same fonts registered and the same QR widget (error
correction M, drawn the ordinary way with renderPDF), with one name line and
nothing else. Both are rendered in the same process and run, interleaved, after a
warm-up, so font registration and first-use costs are left out of both.
Budget: a certificate takes at most 1.5 times as long as the bare page.

The certificate as delivered is also sealed (PAdES, `seal.seal_pdf`, a P-256 key):
that is measured too, and the budget is judged on it, the file a learner gets.

Run: .venv/bin/python -m bench.certificate_pdf
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from bench.harness import save
from trainer.certificates.pdf import PrintedCertificate, draw_qr, render_certificate_pdf
from trainer.certificates.seal import load_signer, seal_pdf
from trainer.certificates.typesetting import registered_fonts
from trainer.config import new_signing_key_pem

RENDERS = 200
ROUNDS = 5
BUDGET = 1.5
NAMES = ("Zoë Ångström-Núñez", "محمد عبد الله الأحمد", "प्रिया क्षत्रिय", "王小明 김민준")


def certificate(index: int) -> PrintedCertificate:
    """A realistic certificate; names and ids vary so no cache makes every render free."""
    return PrintedCertificate(
        id=f"7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-{index:04d}",
        name=NAMES[index % len(NAMES)],
        course_title="Recognise, respond, refer: human trafficking for health workers",
        course_version="2026.1",
        content_areas=("Indicators of trafficking", "Trauma-informed response", "Referral"),
        hours=1.25,
        completed_on=date(2026, 11, 22),
        issued_on=date(2026, 11, 22),
        provider_name="Trainer Demo Provider",
        provider_approval="MI-CE-0042",
        requirements=("Michigan: human trafficking training for licensees",),
        verify_url=f"https://trainer.example/verify/7QF3KD9M2XHWP8RT4NCEY6VB{index:04d}",
        licence_type="Registered Nurse",
        licence_number="RN-4701234567",
        licence_board="Michigan Board of Nursing",
    )


def bare_page(cert: PrintedCertificate, qr_as_path: bool = False) -> bytes:
    """One name line and the QR code on a landscape A4 page, nothing else.

    ``qr_as_path`` draws the QR modules as one path, as the certificate does, instead
    of through renderPDF: the stricter baseline, since renderPDF is the slower way.
    """
    fonts = registered_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), invariant=True, pageCompression=True)
    canvas.setFont(fonts["serif"].fontName, 32)
    canvas.drawCentredString(421, 420, cert.name)
    if qr_as_path:
        draw_qr(canvas, cert.verify_url, 680, 200, 96)
    else:
        drawing = Drawing(96, 96)
        drawing.add(QrCodeWidget(cert.verify_url, barLevel="M", barWidth=96, barHeight=96))
        renderPDF.draw(drawing, canvas, 680, 200)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def bare_page_qr_as_path(cert: PrintedCertificate) -> bytes:
    return bare_page(cert, qr_as_path=True)


def sealed(signer):
    """Render and seal, as `printing.certificate_pdf` does for every download."""

    def render(cert: PrintedCertificate) -> bytes:
        return seal_pdf(render_certificate_pdf(cert, credential=CREDENTIAL), signer)

    return render


#: A credential-sized token (the real one is ~2.5 KB of base64url).
CREDENTIAL = "eyJhbGciOiJFUzI1NiJ9." + "A" * 2400 + ".sig"


def seconds_for(render, certificates: list[PrintedCertificate]) -> float:
    started = time.perf_counter()
    for cert in certificates:
        render(cert)
    return time.perf_counter() - started


def main() -> None:
    certificates = [certificate(i) for i in range(RENDERS)]
    # Latin only for the bare page: its single font has no Arabic or Devanagari glyphs.
    bare_certificates = [certificate(i * len(NAMES)) for i in range(RENDERS)]
    with tempfile.TemporaryDirectory() as folder:
        signer = load_signer(
            new_signing_key_pem().decode(), Path(folder), provider="Demo", base_url="https://t"
        )
    render_sealed = sealed(signer)
    seconds_for(render_certificate_pdf, certificates[:20])  # warm up: fonts, caches
    seconds_for(render_sealed, certificates[:20])
    seconds_for(bare_page, bare_certificates[:20])
    seconds_for(bare_page_qr_as_path, bare_certificates[:20])
    full, bare, strict, seal = [], [], [], []
    for _ in range(ROUNDS):
        full.append(seconds_for(render_certificate_pdf, certificates))
        seal.append(seconds_for(render_sealed, certificates))
        bare.append(seconds_for(bare_page, bare_certificates))
        strict.append(seconds_for(bare_page_qr_as_path, bare_certificates))
    full_ms, bare_ms, strict_ms, sealed_ms = (
        statistics.median(t) / RENDERS * 1000 for t in (full, bare, strict, seal)
    )
    ratio, strict_ratio = full_ms / bare_ms, full_ms / strict_ms
    sealed_ratio = sealed_ms / strict_ms
    save(
        "certificate_pdf",
        {
            "renders_per_round": RENDERS,
            "rounds": ROUNDS,
            "certificate_ms": round(full_ms, 2),
            "bare_page_ms": round(bare_ms, 2),
            "ratio": round(ratio, 3),
            "bare_page_qr_as_path_ms": round(strict_ms, 2),
            "ratio_qr_as_path": round(strict_ratio, 3),
            "sealed_certificate_ms": round(sealed_ms, 2),
            "ratio_sealed_vs_qr_as_path": round(sealed_ratio, 3),
            "budget_ratio": BUDGET,
            "within_budget_unsealed": max(ratio, strict_ratio) <= BUDGET,
            "within_budget": sealed_ratio <= BUDGET,
            "certificate_bytes": len(render_certificate_pdf(certificates[0])),
            "sealed_certificate_bytes": len(render_sealed(certificates[0])),
        },
    )


if __name__ == "__main__":
    main()
