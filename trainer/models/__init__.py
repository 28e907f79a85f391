"""SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from trainer.models.attempt import Attempt
from trainer.models.audit import AuditEvent
from trainer.models.base import Base, utcnow
from trainer.models.organisation import ORGANISATION_KINDS, Organisation
from trainer.models.progress import ModuleCompletion
from trainer.models.user import ROLES, ApiToken, LoginSession, PasswordResetToken, User

__all__ = [
    "ORGANISATION_KINDS",
    "ROLES",
    "ApiToken",
    "Attempt",
    "AuditEvent",
    "Base",
    "LoginSession",
    "ModuleCompletion",
    "Organisation",
    "PasswordResetToken",
    "User",
    "utcnow",
]
