"""Suggested follow-ups: each with the post, why it was suggested, accept or dismiss."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from crm.clock import london_today
from crm.errors import InvalidInput, NotFound
from crm.models import Suggestion
from crm.pagination import Page
from crm.permissions import Permission, can
from crm.services import suggestions
from crm.working_days import working_days_after
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session
from web.suggestions.forms import AcceptSuggestionForm, DismissSuggestionForm

blueprint = Blueprint("suggestions", __name__, url_prefix="/suggestions")

PER_PAGE = 20
ALREADY_DECIDED = "Someone has already accepted or dismissed that suggestion"


@blueprint.app_context_processor
def _suggestions_waiting() -> dict[str, Any]:
    def suggestions_waiting() -> int | None:
        """How many suggestions wait for the signed-in officer, for the navigation."""
        if not current_user.is_authenticated or not can(current_user.officer, Permission.READ_CRM):
            return None
        try:
            viewer = current_officer()
            return suggestions.count_waiting(db_session(), viewer=viewer, assignee_ids=[viewer.id])
        except SQLAlchemyError:
            # The navigation is drawn on error pages too, and the database may be what failed.
            return None

    return {"suggestions_waiting": suggestions_waiting}


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    return _show()


@blueprint.post("/<int:suggestion_id>/accept")
@requires(Permission.WRITE_CRM)
def accept(suggestion_id: int) -> str | Response:
    suggestion = _suggestion_or_404(suggestion_id)
    form = AcceptSuggestionForm(prefix=_prefix(suggestion))
    if form.validate_on_submit():
        try:
            follow_up = suggestions.accept_suggestion(
                db_session(),
                suggestion_id,
                officer=current_officer(),
                due_on=form.due_on.data,
                note=form.note.data or "",
            )
        except suggestions.AlreadyDecided:
            return _already_decided()
        except InvalidInput as error:
            form.due_on.errors = [*form.due_on.errors, str(error)]
        else:
            commit()
            flash(
                f"Follow-up added for {follow_up.contact.name}, due "
                f"{follow_up.due_on.day} {follow_up.due_on:%B %Y}",
                "success",
            )
            return redirect(_back())
    return _show(failed=suggestion, accept_form=form)


@blueprint.post("/<int:suggestion_id>/dismiss")
@requires(Permission.WRITE_CRM)
def dismiss(suggestion_id: int) -> str | Response:
    suggestion = _suggestion_or_404(suggestion_id)
    form = DismissSuggestionForm(prefix=_prefix(suggestion))
    if form.validate_on_submit():
        try:
            suggestions.dismiss_suggestion(
                db_session(), suggestion_id, officer=current_officer(), reason=form.reason.data
            )
        except suggestions.AlreadyDecided:
            return _already_decided()
        except InvalidInput as error:
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            commit()
            flash("Suggestion dismissed. It will not come back", "success")
            return redirect(_back())
    return _show(failed=suggestion, dismiss_form=form)


def _show(
    *,
    failed: Suggestion | None = None,
    accept_form: AcceptSuggestionForm | None = None,
    dismiss_form: DismissSuggestionForm | None = None,
) -> str:
    viewer = current_officer()
    show_everyone = request.args.get("who") == "everyone"
    waiting = suggestions.waiting_suggestions(
        db_session(), viewer=viewer, assignee_ids=None if show_everyone else [viewer.id]
    )
    page = _page(waiting, request.args.get("page", 1, type=int))
    due_by_default = working_days_after(london_today(), 1)
    forms = {}
    for item in page.items:
        failed_here = failed is not None and item.id == failed.id
        forms[item.id] = (
            accept_form
            if failed_here and accept_form
            else AcceptSuggestionForm(formdata=None, prefix=_prefix(item), due_on=due_by_default),
            dismiss_form
            if failed_here and dismiss_form
            else DismissSuggestionForm(formdata=None, prefix=_prefix(item)),
        )
    return render_template(
        "suggestions/index.html",
        page=page,
        forms=forms,
        failed_form=accept_form or dismiss_form,
        show_everyone=show_everyone,
    )


def _page(items: list[Suggestion], number: int) -> Page[Suggestion]:
    last_page = max(1, -(-len(items) // PER_PAGE))
    number = min(max(1, number), last_page)
    start = (number - 1) * PER_PAGE
    return Page(
        items=items[start : start + PER_PAGE], number=number, per_page=PER_PAGE, total=len(items)
    )


def _prefix(suggestion: Suggestion) -> str:
    # Many forms on one page: the prefix keeps each one's fields and ids apart.
    return f"suggestion-{suggestion.id}"


def _back() -> str:
    return url_for(
        "suggestions.index",
        who=request.args.get("who") or None,
        page=request.args.get("page", type=int),
    )


def _already_decided() -> Response:
    flash(ALREADY_DECIDED, "info")
    return redirect(_back())


def _suggestion_or_404(suggestion_id: int) -> Suggestion:
    try:
        return suggestions.get_suggestion(db_session(), suggestion_id, viewer=current_officer())
    except NotFound:
        abort(404)
