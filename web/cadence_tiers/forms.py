"""Adding and changing a cadence tier."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from crm.services.cadence_tiers import MAX_DAYS, MAX_NAME
from web.forms import WeaverForm


class CadenceTierForm(WeaverForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="For example, strategic partner",
        validators=[
            InputRequired(message="Enter a name for the tier"),
            Length(max=MAX_NAME, message=f"The name must be {MAX_NAME} characters or fewer"),
        ],
    )
    days = IntegerField(
        "Be in touch every (days)",
        widget=GovTextInput(),
        description="How many days may pass between touches before a contact is going cold",
        validators=[
            InputRequired(message="Enter a number of days"),
            NumberRange(
                min=1, max=MAX_DAYS, message=f"Enter a number of days from 1 to {MAX_DAYS}"
            ),
        ],
    )


class DeleteTierForm(WeaverForm):
    """Nothing to fill in: the button and its CSRF token."""
