from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from crm.models import TargetKind
from crm.services.targets import DEFAULT_INTERVAL_MINUTES, MAX_QUERY_LENGTH, MIN_INTERVAL_MINUTES
from web.date_input import DateInput
from web.forms import WeaverForm

INTERVAL_HINT = (
    f"{MIN_INTERVAL_MINUTES} minutes at the least. Each run uses some of the platform’s "
    "monthly read cap"
)


def whole_number(text: str | None) -> int | None:
    """A number typed into a text box (GOV.UK advises against type=number), or None."""
    text = (text or "").strip().replace(",", "")
    return int(text) if text.isdigit() else None


def _require_whole_number(message: str):
    def check(_form: WeaverForm, field: StringField) -> None:
        if field.data and field.data.strip() and whole_number(field.data) is None:
            raise ValidationError(message)

    return check


class ActionForm(WeaverForm):
    """A button that changes something, with nothing else to fill in."""


class MonthlyCapForm(WeaverForm):
    monthly_read_cap = StringField(
        "Monthly read cap",
        description="The most posts Weaver may read in a calendar month, as the council’s "
        "plan with the platform allows. Leave blank for no cap",
        widget=GovTextInput(),
        validators=[
            _require_whole_number("Enter the cap as a whole number, like 10000, or leave it blank")
        ],
    )
    submit = SubmitField("Save cap", widget=GovSubmitInput())

    def cap(self) -> int | None:
        return whole_number(self.monthly_read_cap.data)


def _interval_field() -> StringField:
    return StringField(
        "How often to collect, in minutes",
        default=str(DEFAULT_INTERVAL_MINUTES),
        description=INTERVAL_HINT,
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter how often to collect, in minutes"),
            _require_whole_number("Enter how often to collect as a whole number of minutes"),
        ],
    )


class NewQueryForm(WeaverForm):
    name = StringField(
        "Name",
        description="How officers will know it, for example Flooding in Marshby",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a name for the listening query"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    query = StringField(
        "What to listen for",
        description=f"Words as the platform’s search takes them, for example "
        f"“Marshby flood” OR #MarshbyFloods. {MAX_QUERY_LENGTH} characters at most",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the words to listen for")],
    )
    purpose = TextAreaField(
        "Why the council needs to listen for this",
        description="Listening must be open and for a stated purpose. Say what the council will "
        "use these posts for, for example: to see where residents report flooding so that "
        "crews go where they are needed. Every admin sees this, and the audit log keeps it",
        widget=GovTextArea(),
        validators=[InputRequired(message="Say why the council needs to listen for this")],
    )
    interval_minutes = _interval_field()
    submit = SubmitField("Start listening", widget=GovSubmitInput())

    def interval(self) -> int:
        minutes = whole_number(self.interval_minutes.data)
        return DEFAULT_INTERVAL_MINUTES if minutes is None else minutes


KIND_CHOICES = [
    (TargetKind.ACCOUNT_POSTS.value, "Posts by this account"),
    (TargetKind.MENTIONS.value, "Mentions of and replies to this account (the council’s own)"),
]


class NewAccountForm(WeaverForm):
    account_id = SelectField(
        "Which account?",
        coerce=int,
        description="Accounts are listed with their contact. Add an account to a contact first "
        "if it is missing",
        # The service says so in plain words if the account went while the form was open.
        validate_choice=False,
        widget=GovSelect(),
        validators=[InputRequired(message="Choose an account")],
    )
    kind = RadioField(
        "What to collect",
        choices=KIND_CHOICES,
        description="Mentions can only be collected for the council’s own official accounts",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose what to collect")],
    )
    interval_minutes = _interval_field()
    justification = TextAreaField(
        "Why the council needs to collect this person’s posts",
        description="Only for an individual’s account. Say what the council will use the "
        "posts for, and why an organisation’s account or a listening query would not do",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="The reason must be 5000 characters or fewer")],
    )
    review_on = DateField(
        "Review by",
        format="%d %m %Y",
        widget=DateInput(),
        description="Only for an individual’s account: the date to decide whether to keep "
        "collecting. For example, 27 3 2027",
        validators=[Optional()],
    )
    submit = SubmitField("Collect this account", widget=GovSubmitInput())

    def interval(self) -> int:
        minutes = whole_number(self.interval_minutes.data)
        return DEFAULT_INTERVAL_MINUTES if minutes is None else minutes

    def validate_account_id(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Choose an account")
