"""Logging an informal interaction: who with, what, when, a note and perhaps a follow-up."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from crm.clock import LONDON, london_today
from crm.models import LOGGABLE_KINDS
from crm.services.interactions import MAX_NOTE_LENGTH
from web.date_input import DateInput
from web.filters import humanise
from web.forms import WeaverForm

TIME_PATTERN = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
MAX_FIND_LENGTH = 200


class LogInteractionForm(WeaverForm):
    # Ticked boxes, one per contact; the template draws them, with the finder beside them.
    contact_id = SelectMultipleField(
        "Who was it with?",
        coerce=int,
        # The service says so in plain words if a contact was deleted while the form was open.
        validate_choice=False,
    )
    find = StringField(
        "Find a person or organisation by name",
        validators=[Optional(), Length(max=MAX_FIND_LENGTH)],
    )
    find_contacts = SubmitField("Find")
    kind = RadioField(
        "What kind of interaction was it?",
        choices=[(kind.value, humanise(kind)) for kind in LOGGABLE_KINDS],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose what kind of interaction it was")],
    )
    occurred_on = DateField(
        "When was it?",
        format="%d %m %Y",
        widget=DateInput(),
        description="For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date of the interaction")],
    )
    occurred_time = StringField(
        "Time",
        widget=GovTextInput(),
        description="Use the 24-hour clock, for example 14:30",
        validators=[InputRequired(message="Enter the time of the interaction")],
    )
    note = TextAreaField(
        "Note",
        widget=GovTextArea(),
        description="What was discussed, and anything to remember",
        validators=[Length(max=MAX_NOTE_LENGTH)],
    )
    follow_up_on = DateField(
        "Follow up by (optional)",
        format="%d %m %Y",
        widget=DateInput(),
        description="Leave blank if there is nothing to follow up",
        validators=[Optional()],
    )
    submit = SubmitField("Save interaction", widget=GovSubmitInput())

    @property
    def finding(self) -> bool:
        """The officer asked to find contacts by name: show matches, save nothing.

        Find is the form's first button, so pressing Enter in any box presses it; with
        nothing to find, that Enter meant "save".
        """
        return bool(self.find_contacts.data) and bool((self.find.data or "").strip())

    @property
    def chosen_ids(self) -> list[int]:
        """The ticked contacts, each once, in the order they appear."""
        return list(dict.fromkeys(self.contact_id.data or []))

    def validate_contact_id(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError("Choose who the interaction was with")

    def validate_occurred_time(self, field: StringField) -> None:
        if not TIME_PATTERN.match(field.data or ""):
            raise ValidationError("Enter a time in the 24-hour clock, like 09:30 or 14:30")

    def validate_occurred_on(self, field: DateField) -> None:
        match = TIME_PATTERN.match(self.occurred_time.data or "")
        if field.data is None or match is None:
            return
        local = datetime.combine(field.data, time(int(match.group(1)), int(match.group(2))))
        if not _exists_in_the_uk(local):
            raise ValidationError(
                "That time did not happen in the UK: the clocks went forward an hour. "
                "Enter a time after 2am"
            )

    def validate_follow_up_on(self, field: DateField) -> None:
        if field.data is not None and field.data < london_today():
            raise ValidationError("The follow-up date must be today or in the future")

    def occurred_at(self) -> datetime:
        """The moment entered, read as UK local time.

        In the October hour that happens twice, this is the first (British Summer Time) one.
        """
        match = TIME_PATTERN.match(self.occurred_time.data or "")
        assert match is not None and isinstance(self.occurred_on.data, date)
        moment = time(int(match.group(1)), int(match.group(2)))
        return datetime.combine(self.occurred_on.data, moment, tzinfo=LONDON)


def _exists_in_the_uk(local: datetime) -> bool:
    """False for the hour skipped when the clocks go forward in March."""
    moment = local.replace(tzinfo=LONDON)
    return moment.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == local
