"""Secrets in text bound for a log: reset and invitation links, tokens in query strings.

A password-reset link (invitations are reset links too) is a password for an
hour: whoever reads it in a log file, a log shipper or a support ticket can take
the account. So the mail log and the access log write ``/account/reset/[redacted]``
instead, and any ``token=``, ``code=``, ``key=`` or ``password=`` value likewise.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"
_SECRET_PATH = re.compile(r"(/account/reset/)[^\s/?#\"'<>]+")
_SECRET_PARAMETER = re.compile(
    r"((?:^|[?&;\s])(?:token|code|key|password|secret)=)[^&;\s\"'<>#]+", re.I
)


def redact_secrets(text: str) -> str:
    """``text`` with reset-link tokens and secret query parameters replaced by ``[redacted]``."""
    text = _SECRET_PATH.sub(rf"\g<1>{REDACTED}", text)
    return _SECRET_PARAMETER.sub(rf"\g<1>{REDACTED}", text)
