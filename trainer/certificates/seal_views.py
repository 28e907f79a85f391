"""The certificate that seals PDFs, published so boards can add it as a trust anchor."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue

from trainer.certificates.seal import signer_of

bp = Blueprint("seal", __name__)


@bp.get("/pdf-signing-certificate.pem")
def signing_certificate() -> ResponseReturnValue:
    """The PDF-sealing certificate chain (PEM), leaf first; its SHA-256 in a header."""
    signer = signer_of(current_app)
    response = Response(signer.pem(), mimetype="application/x-pem-file")
    response.headers["Content-Disposition"] = 'attachment; filename="pdf-signing-certificate.pem"'
    response.headers["X-Certificate-SHA256"] = signer.fingerprint
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
