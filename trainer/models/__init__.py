"""SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from trainer.models.approval import ProviderApproval
from trainer.models.attempt import Attempt
from trainer.models.attempt_grant import AttemptGrant
from trainer.models.audit import AuditEvent
from trainer.models.base import Base, utcnow
from trainer.models.certificate import Certificate, SigningKey
from trainer.models.organisation import ORGANISATION_KINDS, Organisation
from trainer.models.orgs import (
    UNIT_KINDS,
    Assignment,
    AssignmentCourse,
    AssignmentLearner,
    EnrolmentUpload,
    Invitation,
    OrgUnit,
    Reminder,
)
from trainer.models.progress import ModuleCompletion, ModuleOpening
from trainer.models.referral import (
    REFERRAL_ROLES,
    ReferralContact,
    ReferralDirectory,
    ReferralStep,
)
from trainer.models.user import (
    ROLES,
    ApiToken,
    LoginSession,
    PasswordResetToken,
    RecoveryCode,
    User,
)

__all__ = [
    "ORGANISATION_KINDS",
    "REFERRAL_ROLES",
    "ROLES",
    "UNIT_KINDS",
    "ApiToken",
    "Assignment",
    "AssignmentCourse",
    "AssignmentLearner",
    "Attempt",
    "AttemptGrant",
    "AuditEvent",
    "Base",
    "Certificate",
    "EnrolmentUpload",
    "Invitation",
    "LoginSession",
    "ModuleCompletion",
    "ModuleOpening",
    "OrgUnit",
    "Organisation",
    "PasswordResetToken",
    "ProviderApproval",
    "RecoveryCode",
    "ReferralContact",
    "ReferralDirectory",
    "ReferralStep",
    "Reminder",
    "SigningKey",
    "User",
    "utcnow",
]
