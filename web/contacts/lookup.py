"""Finding the contact a page is about, or answering 404 if the officer may not see it."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from werkzeug.wrappers import Response

from crm.errors import NotFound
from crm.models import Contact
from crm.services.contacts import get_contact
from web.auth.session import current_officer
from web.database import db_session


def visible_contact_or_404(contact_id: int) -> Contact:
    """A restricted record outside the officer's team is "not found", never "forbidden", so
    its existence is not given away."""
    try:
        return get_contact(db_session(), contact_id, viewer=current_officer())
    except NotFound:
        abort(404)


def to_contact_if_still_visible(contact_id: int) -> Response:
    """Back to the contact, unless the change hid it from this officer (restricted, or
    handed to someone outside their team)."""
    try:
        get_contact(db_session(), contact_id, viewer=current_officer())
    except NotFound:
        flash("The record is restricted, so you can no longer see it", "info")
        return redirect(url_for("contacts.index"))
    return redirect(url_for("contacts.show", contact_id=contact_id))
