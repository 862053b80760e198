"""What an officer sends when deciding about a collected post."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from crm.sentiment import SentimentLabel
from crm.services.review import MAX_ORGANISATION_NAME
from web.forms import WeaverForm

AUTOMATIC = "automatic"


class LinkToContactForm(WeaverForm):
    # Rendered by the template with govukRadios: the options are the suggestions and the
    # search results, and each carries a hint saying why it is offered.
    contact_id = RadioField(
        "Which contact is it?",
        coerce=int,
        # The service checks the contact exists and the officer may see it.
        validate_choice=False,
        validators=[InputRequired(message="Choose the contact this post belongs to")],
    )
    remember_account = BooleanField("Also remember this account")


class CreateOrganisationForm(WeaverForm):
    name = StringField(
        "Organisation name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the organisation’s name"),
            Length(
                max=MAX_ORGANISATION_NAME,
                message=f"The name must be {MAX_ORGANISATION_NAME} characters or fewer",
            ),
        ],
    )


class DismissForm(WeaverForm):
    """Nothing to fill in: the button and its CSRF token."""


class SentimentForm(WeaverForm):
    sentiment = RadioField(
        "What is the sentiment of this post?",
        choices=[
            (SentimentLabel.POSITIVE.value, "Positive"),
            (SentimentLabel.NEUTRAL.value, "Neutral"),
            (SentimentLabel.NEGATIVE.value, "Negative"),
            (AUTOMATIC, "Use the automatic reading"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose the sentiment of this post")],
    )
    submit = SubmitField("Save sentiment", widget=GovSubmitInput())

    def label(self) -> SentimentLabel | None:
        return None if self.sentiment.data == AUTOMATIC else SentimentLabel(self.sentiment.data)
