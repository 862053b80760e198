from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from crm.csv_records import ENCODINGS
from crm.models import ContactKind
from web.forms import WeaverForm


class UploadForm(WeaverForm):
    file = FileField(
        "CSV file",
        description="One row for each organisation or person, with column headings in the "
        "first row. Up to 2,000 rows and 2 MB: for bigger files, ask whoever runs Weaver to "
        "use the crm import contacts command",
        widget=GovFileInput(),
        validators=[
            FileRequired(message="Choose the CSV file to import"),
            FileAllowed(["csv"], message="The file must be a CSV file, ending .csv"),
        ],
    )
    default_kind = RadioField(
        "Rows without a Kind column are",
        choices=[
            (ContactKind.ORGANISATION.value, "Organisations"),
            (ContactKind.PERSON.value, "People"),
        ],
        default=ContactKind.ORGANISATION.value,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose what the rows are")],
    )
    encoding = RadioField(
        "How the file was saved",
        choices=list(ENCODINGS.items()),
        default="utf-8",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose how the file was saved")],
    )
    submit = SubmitField("Upload and choose columns", widget=GovSubmitInput())


class ImportForm(WeaverForm):
    """Runs the import checked on the page before; the columns come as hidden fields."""

    submit = SubmitField("Import", widget=GovSubmitInput())
