from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from crm.clock import LONDON, london_today
from crm.models import LOGGABLE_KINDS
from crm.services.interactions import MAX_NOTE_LENGTH
from web.date_input import DateInput
from web.filters import humanise

TIME_PATTERN = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class LogInteractionForm(FlaskForm):
    contact_id = SelectField(
        "Who was it with?",
        coerce=int,
        widget=GovSelect(),
        validators=[InputRequired(message="Choose who the interaction was with")],
    )
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

    def validate_contact_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Choose who the interaction was with")

    def validate_occurred_time(self, field: StringField) -> None:
        if not TIME_PATTERN.match(field.data or ""):
            raise ValidationError("Enter a time in the 24-hour clock, like 09:30 or 14:30")

    def validate_follow_up_on(self, field: DateField) -> None:
        if field.data is not None and field.data < london_today():
            raise ValidationError("The follow-up date must be today or in the future")

    def occurred_at(self) -> datetime:
        """The moment entered, read as UK local time."""
        match = TIME_PATTERN.match(self.occurred_time.data or "")
        assert match is not None and isinstance(self.occurred_on.data, date)
        moment = time(int(match.group(1)), int(match.group(2)))
        return datetime.combine(self.occurred_on.data, moment, tzinfo=LONDON)
