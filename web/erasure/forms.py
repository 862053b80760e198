from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, DateField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from web.date_input import DateInput
from web.forms import WeaverForm


class NewRequestForm(WeaverForm):
    contact_id = HiddenField()
    reference = StringField(
        "Case reference",
        description="The reference your information governance case system gave the request",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the case reference"),
            Length(max=100, message="The case reference must be 100 characters or fewer"),
        ],
    )
    received_on = DateField(
        "Date received",
        format="%d %m %Y",
        widget=DateInput(),
        description="The response is due one calendar month later. For example, 3 11 2026",
        validators=[InputRequired(message="Enter the date the request was received")],
    )
    submit = SubmitField("Record the request", widget=GovSubmitInput())


class CarryOutForm(WeaverForm):
    confirm = BooleanField(
        "I have checked this is the right person and that nothing requires us to keep their record",
        widget=GovCheckboxInput(),
        validators=[DataRequired(message="Confirm you have checked before erasing")],
    )
    submit = SubmitField("Erase this person", widget=GovSubmitInput())


class RefuseForm(WeaverForm):
    reason = TextAreaField(
        "Why the request is refused",
        description="For example, the council must keep the record to meet a legal obligation",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why the request is refused"),
            Length(max=5000, message="The reason must be 5000 characters or fewer"),
        ],
    )
    submit = SubmitField("Refuse the request", widget=GovSubmitInput())
