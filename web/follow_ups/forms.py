"""What officers send to add, complete, snooze, reassign and dismiss follow-ups.

The four action forms share the follow-up page, so no two of them name a field alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    Field,
    Form,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from crm.clock import LONDON, london_today
from crm.models import LOGGABLE_KINDS, InteractionKind
from crm.services.follow_ups import MAX_NOTE_LENGTH, MAX_REASON_LENGTH, InteractionToLog
from crm.services.interactions import MAX_NOTE_LENGTH as MAX_INTERACTION_NOTE_LENGTH
from crm.services.snoozing import PRESET_NAMES, SnoozePreset, snooze_date
from web.date_input import DateInput
from web.filters import humanise
from web.forms import WeaverForm
from web.interactions.forms import TIME_PATTERN, _exists_in_the_uk

A_DATE = "date"
NOT_LOGGED = ""
DEFAULT_ASSIGNEE = 0


class NewFollowUpForm(WeaverForm):
    contact_id = SelectField(
        "Who is it about?",
        coerce=int,
        # The service says so in plain words if a contact was deleted while the form was open.
        validate_choice=False,
        widget=GovSelect(),
    )
    note = TextAreaField(
        "What needs doing?",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter what needs doing"),
            Length(
                max=MAX_NOTE_LENGTH,
                message=f"What needs doing must be {MAX_NOTE_LENGTH:,} characters or fewer",
            ),
        ],
    )
    due_on = DateField(
        "When is it due?",
        format="%d %m %Y",
        widget=DateInput(),
        description="For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date it is due")],
    )
    assignee_id = SelectField(
        "Who will do it?",
        coerce=int,
        validate_choice=False,
        widget=GovSelect(),
        description="Unless you choose someone, it goes to the contact’s relationship manager",
    )
    submit = SubmitField("Add follow-up", widget=GovSubmitInput())

    def validate_contact_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Choose who the follow-up is about")

    def validate_due_on(self, field: DateField) -> None:
        if field.data is not None and field.data < london_today():
            raise ValidationError("The date must be today or in the future")

    def chosen_assignee(self) -> int | None:
        return self.assignee_id.data or None


class OnlyWhen:
    """Validate a field only when another says it matters; otherwise ignore whatever it holds
    (an officer may type a date, then change their mind about logging)."""

    def __init__(self, applies: Callable[[Form], bool]) -> None:
        self.applies = applies

    def __call__(self, form: Form, field: Field) -> None:
        if not self.applies(form):
            field.errors[:] = []
            raise StopValidation()


class CompleteForm(WeaverForm):
    """Only the button is needed; logging how it was done is optional."""

    log_kind = SelectField(
        "How was it done?",
        choices=[
            (NOT_LOGGED, "Do not log an interaction"),
            *((kind.value, humanise(kind)) for kind in LOGGABLE_KINDS),
        ],
        widget=GovSelect(),
        description="Choose one to log it on the contact’s timeline",
        default=NOT_LOGGED,
    )
    log_note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        validators=[
            Length(
                max=MAX_INTERACTION_NOTE_LENGTH,
                message=f"The note must be {MAX_INTERACTION_NOTE_LENGTH:,} characters or fewer",
            )
        ],
    )
    log_on = DateField(
        "When was it?",
        format="%d %m %Y",
        widget=DateInput(),
        description="For example, 27 3 2026",
        validators=[OnlyWhen(lambda form: bool(form.log_kind.data))],
    )
    log_time = StringField(
        "Time",
        widget=GovTextInput(),
        description="Use the 24-hour clock, for example 14:30",
        validators=[OnlyWhen(lambda form: bool(form.log_kind.data))],
    )
    submit = SubmitField("Mark as done", widget=GovSubmitInput())

    def validate_log_note(self, field: TextAreaField) -> None:
        if (field.data or "").strip() and not self.log_kind.data:
            raise ValidationError("Choose how it was done to log the note, or clear the note")

    def validate_log_on(self, field: DateField) -> None:
        if field.data is None:
            field.errors[:] = []
            raise StopValidation("Enter the date of the interaction, like 27 3 2026")
        match = TIME_PATTERN.match(self.log_time.data or "")
        if match is not None and not _exists_in_the_uk(datetime.combine(field.data, _time(match))):
            raise ValidationError(
                "That time did not happen in the UK: the clocks went forward an hour. "
                "Enter a time after 2am"
            )

    def validate_log_time(self, field: StringField) -> None:
        if not TIME_PATTERN.match(field.data or ""):
            raise ValidationError("Enter a time in the 24-hour clock, like 09:30 or 14:30")

    def interaction_to_log(self) -> InteractionToLog | None:
        match = TIME_PATTERN.match(self.log_time.data or "")
        if not self.log_kind.data or match is None or not isinstance(self.log_on.data, date):
            return None
        return InteractionToLog(
            kind=InteractionKind(self.log_kind.data),
            note=self.log_note.data or "",
            # In the October hour that happens twice, this is the first (BST) one.
            occurred_at=datetime.combine(self.log_on.data, _time(match), tzinfo=LONDON),
        )


class SnoozeForm(WeaverForm):
    when = RadioField(
        "Snooze until",
        choices=[
            *((preset.value, PRESET_NAMES[preset]) for preset in SnoozePreset),
            (A_DATE, "A date"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose when it should come back")],
    )
    until = DateField(
        "Date",
        format="%d %m %Y",
        widget=DateInput(),
        description="For example, 27 3 2026",
        validators=[OnlyWhen(lambda form: form.when.data == A_DATE)],
    )
    submit = SubmitField("Snooze", widget=GovSubmitInput())

    def validate_until(self, field: DateField) -> None:
        if field.data is None:
            field.errors[:] = []
            raise StopValidation("Enter the date it should come back, like 27 3 2026")

    def chosen_date(self, today: date) -> date:
        if self.when.data == A_DATE:
            assert isinstance(self.until.data, date)
            return self.until.data
        return snooze_date(SnoozePreset(self.when.data), today)


class ReassignForm(WeaverForm):
    assignee_id = SelectField(
        "Reassign to",
        coerce=int,
        validate_choice=False,
        widget=GovSelect(),
        validators=[InputRequired(message="Choose who should do it")],
    )
    submit = SubmitField("Reassign", widget=GovSubmitInput())

    def validate_assignee_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Choose who should do it")


class DismissForm(WeaverForm):
    reason = TextAreaField(
        "Why are you dismissing it?",
        widget=GovTextArea(),
        description="For example, the event was cancelled. Colleagues will see this reason",
        validators=[
            InputRequired(message="Enter why you are dismissing this follow-up"),
            Length(
                max=MAX_REASON_LENGTH,
                message=f"The reason must be {MAX_REASON_LENGTH:,} characters or fewer",
            ),
        ],
    )
    submit = SubmitField("Dismiss follow-up", widget=GovSubmitInput())


def _time(match) -> time:
    return time(int(match.group(1)), int(match.group(2)))


def snooze_options(today: date) -> list[tuple[str, str]]:
    """The presets with the day each means, for a list's snooze menu."""
    options = []
    for preset in SnoozePreset:
        day = snooze_date(preset, today)
        options.append((preset.value, f"{PRESET_NAMES[preset]} ({day:%a} {day.day} {day:%b})"))
    return options


def snooze_hints(today: date) -> list[str]:
    """The day each preset means, in full, for the follow-up page's radios."""
    days = [snooze_date(preset, today) for preset in SnoozePreset]
    return [f"{day:%A} {day.day} {day:%B %Y}" for day in days]
