"""What officers read for the contact enums, and template filters that say it."""

from __future__ import annotations

from crm.models import ContactMethod, OrganisationType, Platform
from web.contacts.routes import blueprint

CONTACT_METHOD_NAMES = {
    ContactMethod.EMAIL: "Email",
    ContactMethod.PHONE: "Telephone",
    ContactMethod.IN_PERSON: "In person",
    ContactMethod.SOCIAL: "Social media",
    ContactMethod.POST: "Post",
}
ORGANISATION_TYPE_NAMES = {
    OrganisationType.CHARITY: "Charity",
    OrganisationType.CIO: "Charitable incorporated organisation (CIO)",
    OrganisationType.COMMUNITY_GROUP: "Community group",
    OrganisationType.FAITH_GROUP: "Faith group",
    OrganisationType.SOCIAL_ENTERPRISE: "Social enterprise",
    OrganisationType.CVS_INFRASTRUCTURE: "Council for voluntary service or infrastructure body",
    OrganisationType.PUBLIC_BODY: "Public body",
    OrganisationType.SCHOOL: "School",
}
PLATFORM_NAMES = {
    Platform.X: "X (formerly Twitter)",
    Platform.MASTODON: "Mastodon",
    Platform.BLUESKY: "Bluesky",
    Platform.RSS: "A website’s news feed (RSS)",
}


@blueprint.app_template_filter()
def organisation_type_name(value: OrganisationType | None) -> str:
    return ORGANISATION_TYPE_NAMES.get(value, "") if value else ""


@blueprint.app_template_filter()
def contact_method_name(value: ContactMethod | None) -> str:
    return CONTACT_METHOD_NAMES.get(value, "") if value else ""
