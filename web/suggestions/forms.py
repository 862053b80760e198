"""What an officer sends to accept or dismiss a suggested follow-up."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import DateField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from crm.clock import london_today
from web.date_input import DateInput
from web.forms import WeaverForm

MAX_NOTE = 2000


class AcceptSuggestionForm(WeaverForm):
    due_on = DateField(
        "Follow up by",
        format="%d %m %Y",
        widget=DateInput(),
        description="For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date to follow up by")],
    )
    note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        description="What to do. Leave blank to use the reason it was suggested",
        validators=[
            Length(max=MAX_NOTE, message=f"The note must be {MAX_NOTE} characters or fewer")
        ],
    )

    def validate_due_on(self, field: DateField) -> None:
        if field.data is not None and field.data < london_today():
            raise ValidationError("The date to follow up by must be today or in the future")


class DismissSuggestionForm(WeaverForm):
    reason = TextAreaField(
        "Why dismiss it?",
        widget=GovTextArea(),
        description="For example, already answered by phone",
        validators=[
            InputRequired(message="Say why you are dismissing it"),
            Length(max=MAX_NOTE, message=f"The reason must be {MAX_NOTE} characters or fewer"),
        ],
    )
