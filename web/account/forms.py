from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired

from web.auth.forms import CodeForm
from web.forms import WeaverForm


class ChangePasswordForm(WeaverForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )
    new_password = PasswordField(
        "New password",
        description="12 characters or more. A few random words together are easy to remember "
        "and hard to guess",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a new password")],
    )
    confirm_password = PasswordField(
        "Type the new password again",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Type the new password again"),
            EqualTo("new_password", message="The new passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class SetUpTwoFactorForm(CodeForm):
    submit = SubmitField("Turn on", widget=GovSubmitInput())


class NewApiTokenForm(WeaverForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="What the token is for, for example, ward dashboard",
        validators=[InputRequired(message="Enter a name for the token")],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())
