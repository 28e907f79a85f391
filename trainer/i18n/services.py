"""Keeping a person's interface language. Takes the session as an argument and only flushes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from trainer.i18n import LANGUAGES
from trainer.models import User


def set_user_locale(db: Session, user: User, locale: str | None) -> None:
    """Keep ``locale`` as ``user``'s interface language; None follows their browser again."""
    if locale is not None and locale not in LANGUAGES:
        raise ValueError(
            f"Unknown interface language {locale!r}; use one of {', '.join(LANGUAGES)}."
        )
    user.locale = locale
    db.flush()
