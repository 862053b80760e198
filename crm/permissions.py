"""Who may do what. Deny by default: a role has exactly the permissions listed here."""

from __future__ import annotations

from enum import StrEnum

from crm.models import Officer, OfficerRole


class Permission(StrEnum):
    READ_CRM = "read_crm"  # contacts, timelines, follow-ups
    WRITE_CRM = "write_crm"  # log interactions, change contacts and follow-ups
    REASSIGN_TEAM_WORK = "reassign_team_work"
    MANAGE_OFFICERS = "manage_officers"
    MANAGE_SOURCES = "manage_sources"
    MANAGE_CADENCES = "manage_cadences"  # stay-in-touch tiers
    READ_AUDIT = "read_audit"
    EXPORT_DATA = "export_data"
    EXPORT_CONTACTS = "export_contacts"  # download a list of contacts as a spreadsheet
    IMPORT_CONTACTS = "import_contacts"  # bring organisations and people in from a CSV file
    HANDLE_ERASURE = "handle_erasure"


ROLE_PERMISSIONS: dict[OfficerRole, frozenset[Permission]] = {
    OfficerRole.ADMIN: frozenset(
        {
            Permission.READ_CRM,
            Permission.WRITE_CRM,
            Permission.MANAGE_OFFICERS,
            Permission.MANAGE_SOURCES,
            Permission.MANAGE_CADENCES,
            Permission.EXPORT_CONTACTS,
            Permission.IMPORT_CONTACTS,
        }
    ),
    OfficerRole.TEAM_LEAD: frozenset(
        {
            Permission.READ_CRM,
            Permission.WRITE_CRM,
            Permission.REASSIGN_TEAM_WORK,
            Permission.EXPORT_CONTACTS,
        }
    ),
    OfficerRole.OFFICER: frozenset(
        {Permission.READ_CRM, Permission.WRITE_CRM, Permission.EXPORT_CONTACTS}
    ),
    OfficerRole.VIEWER: frozenset({Permission.READ_CRM}),
    OfficerRole.INFORMATION_GOVERNANCE: frozenset(
        {
            Permission.READ_CRM,
            Permission.READ_AUDIT,
            Permission.EXPORT_DATA,
            Permission.EXPORT_CONTACTS,
            Permission.HANDLE_ERASURE,
        }
    ),
}

ROLE_NAMES = {
    OfficerRole.ADMIN: "Administrator",
    OfficerRole.TEAM_LEAD: "Team lead",
    OfficerRole.OFFICER: "Engagement officer",
    OfficerRole.VIEWER: "Read-only viewer",
    OfficerRole.INFORMATION_GOVERNANCE: "Information governance officer",
}


def can(officer: Officer, permission: Permission) -> bool:
    return officer.is_active and permission in ROLE_PERMISSIONS.get(officer.role, frozenset())
