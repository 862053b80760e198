"""Importing contacts from a CSV file, for admins: upload, choose what each column holds, check
what would happen (a dry run), import, and read the report of every row not imported."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput
from crm.models import ContactKind
from crm.permissions import Permission
from crm.services.contact_import import (
    FileStart,
    ImportOptions,
    ImportReport,
    import_contacts,
    read_start,
)
from crm.services.contact_spreadsheet import FIELDS, suggested_fields
from crm.text import clean_text
from web.auth.access import requires
from web.auth.session import current_officer
from web.contact_import.forms import ImportForm, UploadForm
from web.contact_import.uploads import Upload, UploadNotFound, Uploads
from web.database import database

blueprint = Blueprint("contact_import", __name__, url_prefix="/import/contacts")

MAX_FILE_NAME = 200
MAX_ROWS = 2_000


@blueprint.route("/", methods=["GET", "POST"])
@requires(Permission.IMPORT_CONTACTS)
def upload() -> str | Response:
    form = UploadForm()
    if form.validate_on_submit():
        uploaded = form.file.data
        stored = _uploads().save(
            uploaded.stream,
            file_name=_file_name(uploaded.filename),
            encoding=form.encoding.data,
            default_kind=ContactKind(form.default_kind.data),
        )
        try:
            _check_size(_start(stored))
        except InvalidInput as error:
            _uploads().discard(stored)
            form.file.errors = [str(error)]
        else:
            return redirect(url_for(".columns", token=stored.token))
    return render_template("contact_import/upload.html", form=form, fields=FIELDS)


@blueprint.get("/<token>/columns")
@requires(Permission.IMPORT_CONTACTS)
def columns(token: str) -> str:
    stored = _upload_or_404(token)
    start = _start(stored)
    chosen = _chosen(request.args, start) or suggested_fields(start.headings)
    return _columns_page(stored, start, chosen)


@blueprint.get("/<token>/check")
@requires(Permission.IMPORT_CONTACTS)
def check(token: str) -> str:
    """The dry run: what importing would do, changing nothing."""
    stored = _upload_or_404(token)
    start = _start(stored)
    chosen = _chosen(request.args, start) or suggested_fields(start.headings)
    try:
        report = _import(stored, chosen, dry_run=True)
    except InvalidInput as error:
        return _columns_page(stored, start, chosen, error=str(error))
    return render_template(
        "contact_import/check.html",
        upload=stored,
        report=report,
        chosen=chosen,
        form=ImportForm(),
    )


@blueprint.post("/<token>/import")
@requires(Permission.IMPORT_CONTACTS)
def run(token: str) -> str | Response:
    form = ImportForm()
    if not form.validate_on_submit():
        abort(400)
    stored = _upload_or_404(token)
    start = _start(stored)
    chosen = _chosen(request.form, start)
    if chosen is None:
        abort(400)
    try:
        report = _import(stored, chosen, dry_run=False)
    except InvalidInput as error:
        return _columns_page(stored, start, chosen, error=str(error))
    _uploads().save_report(stored, report.as_dict())
    return redirect(url_for(".report", token=token))


@blueprint.get("/<token>/report")
@requires(Permission.IMPORT_CONTACTS)
def report(token: str) -> str:
    try:
        finished = ImportReport.from_dict(_uploads().report(token))
    except UploadNotFound:
        abort(404)
    return render_template("contact_import/report.html", report=finished)


def _uploads() -> Uploads:
    return Uploads(Path(current_app.instance_path) / "imports", current_officer().id)


def _upload_or_404(token: str) -> Upload:
    try:
        return _uploads().get(token)
    except UploadNotFound:
        abort(404)


def _start(stored: Upload) -> FileStart:
    with stored.open() as lines:
        return read_start(lines, encoding=stored.encoding)


def _check_size(start: FileStart) -> None:
    # An import is saved as it goes, so one cut off by the web server's time limit would be
    # half done: bigger files go through `crm import contacts`, which has no limit.
    if start.rows > MAX_ROWS:
        raise InvalidInput(
            f"The file has {start.rows:,} rows. The web page imports up to {MAX_ROWS:,} at a "
            "time: split the file, or ask whoever runs Weaver to use crm import contacts"
        )


def _chosen(values: Mapping[str, str], start: FileStart) -> list[str] | None:
    """The field chosen for each column, if the form said for every one."""
    names = [f"column-{position}" for position in range(len(start.headings))]
    if not all(name in values for name in names):
        return None
    return [values[name] for name in names]


def _import(stored: Upload, chosen: list[str], *, dry_run: bool) -> ImportReport:
    options = ImportOptions(
        columns=tuple(chosen),
        default_kind=stored.default_kind,
        encoding=stored.encoding,
        dry_run=dry_run,
    )
    with stored.open() as lines:
        return import_contacts(
            database().session_factory,
            lines,
            file_name=stored.file_name,
            officer_id=current_officer().id,
            options=options,
        )


def _columns_page(
    stored: Upload, start: FileStart, chosen: list[str], *, error: str | None = None
) -> str:
    return render_template(
        "contact_import/columns.html",
        upload=stored,
        start=start,
        chosen=chosen,
        fields=FIELDS,
        error=error,
    )


def _file_name(name: str | None) -> str:
    """The name shown in reports and the audit log: no folders, nothing unprintable."""
    base = Path(clean_text(name or "")).name.strip()
    return (
        "".join(character for character in base if character.isprintable())[:MAX_FILE_NAME]
        or "upload.csv"
    )
