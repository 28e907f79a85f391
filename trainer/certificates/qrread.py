"""Reading the QR codes a certificate page *shows*: the page rendered (poppler's
``pdftoppm``) and decoded (zxing-cpp), so a QR code swapped, covered or added is seen
as a reader's phone would see it, not as the content stream claims.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image

#: Resolution of the rendered page: a QR module of the certificate is then ~5 pixels.
DPI = 150


class QrUnavailable(RuntimeError):
    """The page could not be rendered to look for QR codes; the message says why."""


def page_image(pdf: bytes, dpi: int = DPI) -> Image.Image:
    """Page 1 rendered in grey by pdftoppm."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise QrUnavailable("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "certificate.pdf"
        source.write_bytes(pdf)
        done = subprocess.run(  # noqa: S603 (fixed program, our own temporary file)
            [program, "-r", str(dpi), "-gray", "-f", "1", "-l", "1", "-png", str(source)],
            capture_output=True,
            timeout=60,
            check=False,
        )
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode(errors="replace").strip() or "no image"
        raise QrUnavailable(f"pdftoppm could not render the page: {message}")
    return Image.open(io.BytesIO(done.stdout))


def qr_codes(pdf: bytes) -> list[str]:
    """The text of every QR code visible on page 1, top to bottom."""
    found = zxingcpp.read_barcodes(page_image(pdf), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid]
