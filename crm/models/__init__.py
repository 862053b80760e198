"""Weaver's domain model. Importing this package registers every table on Base.metadata."""

from crm.models.api_tokens import ApiToken
from crm.models.audit import AuditAction, AuditEvent
from crm.models.base import Base
from crm.models.collection import (
    CollectionSource,
    CollectionTarget,
    CollectorCursor,
    CollectorRun,
    HandleChange,
    PostCollection,
    PostReview,
    QuarantinedItem,
    QuarantineStatus,
    ReviewStatus,
    RunStatus,
    TargetKind,
)
from crm.models.contacts import (
    Affiliation,
    Contact,
    ContactKind,
    Locality,
    Organisation,
    OrganisationType,
    Person,
    Platform,
    SocialAccount,
    Ward,
)
from crm.models.follow_ups import FollowUp, FollowUpStatus
from crm.models.interactions import (
    LOGGABLE_KINDS,
    Interaction,
    InteractionKind,
    interaction_contacts,
)
from crm.models.officers import Officer, OfficerRole, Team

__all__ = [
    "LOGGABLE_KINDS",
    "Affiliation",
    "ApiToken",
    "AuditAction",
    "AuditEvent",
    "Base",
    "CollectionSource",
    "CollectionTarget",
    "CollectorCursor",
    "CollectorRun",
    "Contact",
    "ContactKind",
    "FollowUp",
    "FollowUpStatus",
    "HandleChange",
    "Interaction",
    "InteractionKind",
    "Locality",
    "Officer",
    "OfficerRole",
    "Organisation",
    "OrganisationType",
    "Person",
    "Platform",
    "PostCollection",
    "PostReview",
    "QuarantineStatus",
    "QuarantinedItem",
    "ReviewStatus",
    "RunStatus",
    "SocialAccount",
    "TargetKind",
    "Team",
    "Ward",
    "interaction_contacts",
]
