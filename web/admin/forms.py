from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from crm.models import OfficerRole
from crm.permissions import ROLE_NAMES
from web.forms import WeaverForm

# Information governance sees every record, so an admin cannot grant it (nor give it to
# themselves through a new account): the operator does, with `crm user create --role`.
ROLE_CHOICES = [
    (role.value, ROLE_NAMES[role])
    for role in OfficerRole
    if role is not OfficerRole.INFORMATION_GOVERNANCE
]


class NewOfficerForm(WeaverForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the officer's name"), Length(max=200)],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the officer's email address"), Length(max=254)],
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        default=OfficerRole.OFFICER.value,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose the officer's role")],
    )
    password = PasswordField(
        "First password",
        description="12 characters or more. Tell the officer, who should change it when they "
        "first sign in",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a first password")],
    )
    submit = SubmitField("Create officer", widget=GovSubmitInput())


class ChangeRoleForm(WeaverForm):
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose the officer's role")],
    )
    submit = SubmitField("Save role", widget=GovSubmitInput())


class ConfirmForm(WeaverForm):
    """A button that changes something, with nothing else to fill in."""
