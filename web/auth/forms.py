from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired

from web.forms import WeaverForm


class SignInForm(WeaverForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class CodeForm(WeaverForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        description="The 6 digits your authenticator app shows for Weaver now",
        validators=[InputRequired(message="Enter the 6-digit code from your app")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
