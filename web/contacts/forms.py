"""Forms for adding and changing contacts, their accounts and affiliations, and merging."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, StopValidation, ValidationError

from crm.models import Contact, ContactMethod, OrganisationType
from crm.services.contact_details import (
    OrganisationDetails,
    PersonDetails,
    parse_tags,
)
from crm.services.contact_editing import EditingChoices
from web.contacts.words import CONTACT_METHOD_NAMES, ORGANISATION_TYPE_NAMES, PLATFORM_NAMES
from web.date_input import DateInput
from web.forms import WeaverForm


def optional_id(value: Any) -> int | None:
    """A select's value: blank means none chosen."""
    if value in (None, "", "None"):
        return None
    return int(value)


def whole_number(text: str | None) -> int | None:
    text = (text or "").strip().replace(",", "")
    return int(text) if text.isdigit() else None


class GovDateField(DateField):
    """Three GOV.UK date boxes, saying plainly when they do not make a date."""

    def __init__(self, label: str, *, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", DateInput())
        kwargs.setdefault("description", "For example, 27 3 2026")
        super().__init__(label, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.message) from error


def blank_date_is_none(_form: WeaverForm, field: Field) -> None:
    """All three boxes empty means no date; any one filled in must make a date."""
    if not any((value or "").strip() for value in field.raw_data or []):
        field.errors[:] = []
        field.data = None
        raise StopValidation()


def _cadence_days_is_a_number(_form: WeaverForm, field: StringField) -> None:
    if (field.data or "").strip() and whole_number(field.data) is None:
        raise ValidationError("Enter the number of days as a whole number, like 60")


def _name() -> StringField:
    return StringField("Name", widget=GovTextInput())


def _email() -> StringField:
    return StringField("Email address (optional)", widget=GovTextInput())


def _phone() -> StringField:
    return StringField("Telephone (optional)", widget=GovTextInput())


def _locality() -> SelectField:
    return SelectField(
        "Locality (optional)", coerce=optional_id, validate_choice=False, widget=GovSelect()
    )


def _ward() -> SelectField:
    return SelectField(
        "Ward (optional)", coerce=optional_id, validate_choice=False, widget=GovSelect()
    )


def _tags() -> StringField:
    return StringField(
        "Tags (optional)",
        description="Labels to find them by. Separate tags with commas, like: Funding bid, Winter",
        widget=GovTextInput(),
    )


def _cadence_tier() -> SelectField:
    return SelectField(
        "How often to keep in touch (optional)",
        coerce=optional_id,
        validate_choice=False,
        widget=GovSelect(),
    )


def _cadence_days() -> StringField:
    return StringField(
        "Or every this many days (optional)",
        description="Overrides the choice above, for example 45",
        widget=GovTextInput(),
        validators=[_cadence_days_is_a_number],
    )


def _owner() -> SelectField:
    return SelectField(
        "Relationship manager",
        description="The officer who looks after this relationship",
        coerce=optional_id,
        validate_choice=False,
        widget=GovSelect(),
    )


class ContactForm(WeaverForm):
    """What both kinds of contact share. Fields are declared by each kind's form, in the
    order its page asks for them, so the error summary lists problems in that order too.
    The field names are the ones the service's rules report against."""

    name: StringField
    email: StringField
    phone: StringField
    locality_id: SelectField
    ward_id: SelectField
    tags: StringField
    cadence_tier_id: SelectField
    cadence_days: StringField

    def offer(self, choices: EditingChoices) -> None:
        self.locality_id.choices = [("", "Not known"), *_named(choices.localities)]
        self.ward_id.choices = [
            ("", "Not known"),
            *((ward.id, f"{ward.name} ({ward.locality.name})") for ward in choices.wards),
        ]
        self.cadence_tier_id.choices = [
            ("", "No regular contact"),
            *((tier.id, f"{tier.name}: every {tier.days} days") for tier in choices.cadence_tiers),
        ]
        if "owner_id" in self:
            self["owner_id"].choices = [("", "Nobody yet"), *_named(choices.owners)]

    def without_owner(self) -> None:
        """Editing: the owner changes only by a handover, which keeps its history."""
        del self["owner_id"]

    def owner(self) -> int | None:
        return self["owner_id"].data if "owner_id" in self else None

    def fill_shared(self, contact: Contact) -> None:
        self.name.data = contact.name
        self.email.data = contact.email or ""
        self.phone.data = contact.phone or ""
        self.locality_id.data = contact.locality_id
        self.ward_id.data = contact.ward_id
        self.tags.data = ", ".join(tag.name for tag in contact.tags)
        self.cadence_tier_id.data = contact.cadence_tier_id
        self.cadence_days.data = str(contact.cadence_days or "")

    def shared_details(self) -> dict[str, Any]:
        return {
            "name": self.name.data or "",
            "email": self.email.data or "",
            "phone": self.phone.data or "",
            "locality_id": self.locality_id.data,
            "ward_id": self.ward_id.data,
            "tags": parse_tags(self.tags.data or ""),
            "cadence_tier_id": self.cadence_tier_id.data,
            "cadence_days": whole_number(self.cadence_days.data),
        }


class OrganisationForm(ContactForm):
    name = _name()
    organisation_type = SelectField(
        "Type of organisation (optional)",
        choices=[("", "Not known"), *((t.value, n) for t, n in ORGANISATION_TYPE_NAMES.items())],
        validate_choice=False,
        widget=GovSelect(),
    )
    description = TextAreaField("What they do (optional)", widget=GovTextArea())
    charity_number = StringField(
        "Charity number (optional)",
        description="From the Charity Commission, OSCR or the Charity Commission for "
        "Northern Ireland, like 1123456 or SC012345",
        widget=GovTextInput(),
    )
    companies_house_number = StringField(
        "Companies House number (optional)",
        description="8 characters, like 01234567 or SC123456",
        widget=GovTextInput(),
    )
    website = StringField("Website (optional)", widget=GovTextInput())
    email = _email()
    phone = _phone()
    locality_id = _locality()
    ward_id = _ward()
    localities_served_ids = SelectMultipleField(
        "Localities served (optional)", coerce=int, widget=GovCheckboxesInput()
    )
    wards_served_ids = SelectMultipleField(
        "Wards served (optional)", coerce=int, widget=GovCheckboxesInput()
    )
    theme_ids = SelectMultipleField("Themes (optional)", coerce=int, widget=GovCheckboxesInput())
    tags = _tags()
    cadence_tier_id = _cadence_tier()
    cadence_days = _cadence_days()
    owner_id = _owner()
    submit = SubmitField("Save organisation", widget=GovSubmitInput())

    def validate_organisation_type(self, field: SelectField) -> None:
        if field.data and _enum_or_none(OrganisationType, field.data) is None:
            raise ValidationError("Choose a type of organisation from the list")

    def offer(self, choices: EditingChoices) -> None:
        super().offer(choices)
        self.theme_ids.choices = _named(choices.themes)
        self.localities_served_ids.choices = _named(choices.localities)
        self.wards_served_ids.choices = [
            (ward.id, f"{ward.name} ({ward.locality.name})") for ward in choices.wards
        ]

    def fill(self, organisation: Any) -> None:
        self.fill_shared(organisation)
        kind = organisation.organisation_type
        self.organisation_type.data = kind.value if kind else ""
        self.charity_number.data = organisation.charity_number or ""
        self.companies_house_number.data = organisation.companies_house_number or ""
        self.website.data = organisation.website or ""
        self.description.data = organisation.description or ""
        self.theme_ids.data = [theme.id for theme in organisation.themes]
        self.localities_served_ids.data = [loc.id for loc in organisation.localities_served]
        self.wards_served_ids.data = [ward.id for ward in organisation.wards_served]

    def details(self) -> OrganisationDetails:
        return OrganisationDetails(
            **self.shared_details(),
            organisation_type=_enum_or_none(OrganisationType, self.organisation_type.data),
            charity_number=self.charity_number.data or "",
            companies_house_number=self.companies_house_number.data or "",
            website=self.website.data or "",
            description=self.description.data or "",
            theme_ids=self.theme_ids.data or [],
            localities_served_ids=self.localities_served_ids.data or [],
            wards_served_ids=self.wards_served_ids.data or [],
        )


class PersonForm(ContactForm):
    name = _name()
    job_title = StringField("Role or job title (optional)", widget=GovTextInput())
    email = _email()
    phone = _phone()
    preferred_contact_method = RadioField(
        "How do they prefer to be contacted? (optional)",
        choices=[*((m.value, n) for m, n in CONTACT_METHOD_NAMES.items()), ("", "Not known")],
        default="",
        widget=GovRadioInput(),
    )
    locality_id = _locality()
    ward_id = _ward()
    tags = _tags()
    cadence_tier_id = _cadence_tier()
    cadence_days = _cadence_days()
    owner_id = _owner()
    is_restricted = BooleanField(
        "Restrict this record",
        description="For a private individual: only their relationship manager, the manager’s "
        "team and information governance will see it",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Save person", widget=GovSubmitInput())

    def fill(self, person: Any) -> None:
        self.fill_shared(person)
        self.job_title.data = person.job_title or ""
        method = person.preferred_contact_method
        self.preferred_contact_method.data = method.value if method else ""
        self.is_restricted.data = person.is_restricted

    def details(self) -> PersonDetails:
        return PersonDetails(
            **self.shared_details(),
            job_title=self.job_title.data or "",
            preferred_contact_method=_enum_or_none(
                ContactMethod, self.preferred_contact_method.data
            ),
            is_restricted=bool(self.is_restricted.data),
        )


class HandoverForm(WeaverForm):
    owner_id = SelectField(
        "Who will manage this relationship?",
        coerce=optional_id,
        validate_choice=False,
        widget=GovSelect(),
    )
    note = TextAreaField(
        "Handover note (optional)",
        description="What the new relationship manager needs to know",
        widget=GovTextArea(),
    )
    submit = SubmitField("Hand over", widget=GovSubmitInput())


class AccountForm(WeaverForm):
    platform = RadioField(
        "Platform",
        choices=[(p.value, n) for p, n in PLATFORM_NAMES.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose the platform")],
    )
    handle = StringField(
        "Handle or address",
        description="Like @brackenfordcvs, or a profile address. For a news feed, the feed’s "
        "address",
        widget=GovTextInput(),
    )
    platform_user_id = StringField(
        "Platform user id (optional)",
        description="Leave blank if you do not know it: Weaver looks it up from the handle",
        widget=GovTextInput(),
    )
    is_official = BooleanField(
        "This is the organisation’s official account", widget=GovCheckboxInput()
    )
    submit = SubmitField("Add account", widget=GovSubmitInput())


class AffiliationForm(WeaverForm):
    """A person's role in an organisation, added from either side: `other` is what is
    chosen ("organisation" from a person's page, "person" from an organisation's)."""

    other_id = RadioField(coerce=optional_id, validate_choice=False, widget=GovRadioInput())
    role = StringField("Role", description="For example, Chair or Volunteer", widget=GovTextInput())
    started_on = GovDateField(
        "Started (optional)",
        message="Enter the start date as 3 numbers, like 27 3 2026",
        validators=[blank_date_is_none],
    )
    ended_on = GovDateField(
        "Ended (optional)",
        message="Enter the end date as 3 numbers, like 27 3 2026",
        description="Leave blank if they still have this role",
        validators=[blank_date_is_none],
    )
    submit = SubmitField("Add", widget=GovSubmitInput())

    def __init__(self, *args: Any, other: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.other = other
        self.other_id.label.text = f"Which {other}?"

    def validate_other_id(self, field: RadioField) -> None:
        if field.data is None:
            raise ValidationError(f"Choose the {self.other}")


class EndAffiliationForm(WeaverForm):
    ended_on = GovDateField(
        "When did the role end?",
        message="Enter the end date as 3 numbers, like 27 3 2026",
        validators=[InputRequired(message="Enter the date the role ended")],
    )
    submit = SubmitField("End role", widget=GovSubmitInput())


class ConfirmForm(WeaverForm):
    """A button that does what the page says, with nothing to fill in."""


class MergeForm(WeaverForm):
    survivor_id = RadioField(
        "Which record should stay?",
        description="The other is deleted once everything has moved to this one",
        coerce=optional_id,
        validate_choice=False,
        widget=GovRadioInput(),
    )
    submit = SubmitField("Merge records", widget=GovSubmitInput())

    def offer(self, first: Contact, second: Contact) -> None:
        self.survivor_id.choices = [
            (first.id, f"{first.name} (record {first.id})"),
            (second.id, f"{second.name} (record {second.id})"),
        ]

    def validate_survivor_id(self, field: RadioField) -> None:
        if field.data not in [value for value, _label in field.choices or []]:
            raise ValidationError("Choose which record should stay")


def _enum_or_none(kind: type[Enum], value: str | None) -> Any:
    """The choice made, or None for "not known" (or a value no option has)."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def _named(things: Sequence[Any]) -> list[tuple[int, str]]:
    return [(thing.id, thing.name) for thing in things]
