"""Follow-up pages: the lists, adding one, and completing, snoozing, reassigning or
dismissing one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import Field

from crm.clock import london_today, to_london, utc_now
from crm.errors import NotFound, WeaverError
from crm.models import Contact, FollowUp, Interaction, InteractionKind
from crm.permissions import Permission
from crm.services.contacts import contact_choices, get_contact
from crm.services.follow_ups import (
    FollowUpNotAllowed,
    FollowUpNotOpen,
    add_follow_up,
    assignable_officers,
    complete_follow_up,
    dismiss_follow_up,
    follow_up_source,
    get_follow_up,
    open_follow_ups,
    reassign_choices,
    reassign_follow_up,
    snooze_follow_up,
    team_colleagues,
    team_follow_ups,
)
from web.auth.access import requires
from web.auth.routes import safe_next
from web.auth.session import current_officer
from web.database import commit, db_session
from web.follow_ups.forms import (
    DEFAULT_ASSIGNEE,
    CompleteForm,
    DismissForm,
    NewFollowUpForm,
    ReassignForm,
    SnoozeForm,
    snooze_hints,
)

blueprint = Blueprint("follow_ups", __name__, url_prefix="/follow-ups")

# Where a service's field names differ from the completion form's.
COMPLETE_FIELDS = {
    "kind": "log_kind",
    "note": "log_note",
    "occurred_on": "log_on",
    "occurred_time": "log_time",
}


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    show_everyone = request.args.get("who") == "everyone"
    viewer = current_officer()
    follow_ups = open_follow_ups(
        db_session(), viewer=viewer, assignee_id=None if show_everyone else viewer.id
    )
    return render_template(
        "follow_ups/index.html",
        follow_ups=follow_ups,
        show_everyone=show_everyone,
        today=london_today(),
    )


@blueprint.get("/team")
@requires(Permission.REASSIGN_TEAM_WORK)
def team() -> str:
    session = db_session()
    lead = current_officer()
    return render_template(
        "follow_ups/team.html",
        follow_ups=team_follow_ups(session, lead=lead),
        colleagues=team_colleagues(session, lead),
        today=london_today(),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def new() -> str | Response:
    session = db_session()
    officer = current_officer()
    source = _source_or_404(request.args.get("interaction", type=int))
    form = NewFollowUpForm()
    form.contact_id.choices = _contact_choices(source)
    if request.method == "GET":
        form.contact_id.data = request.args.get("contact", type=int) or _only_contact(source)
    form.assignee_id.choices = [
        (DEFAULT_ASSIGNEE, "The relationship manager (or you, if there is none)"),
        *((o.id, o.name) for o in assignable_officers(session, _contact(form.contact_id.data))),
    ]
    if form.validate_on_submit():
        try:
            follow_up = add_follow_up(
                session,
                officer=officer,
                contact_id=form.contact_id.data,
                due_on=form.due_on.data,
                note=form.note.data or "",
                assignee_id=form.chosen_assignee(),
                interaction_id=source.id if source else None,
            )
        except WeaverError as error:
            session.rollback()
            _field_for(form, error).errors.append(str(error))
        else:
            commit()
            flash("Follow-up added", "success")
            return redirect(_after_adding(follow_up, source))
    return render_template(
        "follow_ups/new.html",
        form=form,
        source=source,
        contact_id=request.args.get("contact", type=int),
    )


@blueprint.get("/<int:follow_up_id>")
@requires(Permission.READ_CRM)
def show(follow_up_id: int) -> str:
    return _show(_follow_up_or_404(follow_up_id))


@blueprint.post("/<int:follow_up_id>/complete")
@requires(Permission.WRITE_CRM)
def complete(follow_up_id: int) -> str | Response:
    follow_up = _follow_up_or_404(follow_up_id)
    form = CompleteForm()
    if form.validate_on_submit():
        return _act(
            follow_up,
            form,
            lambda: complete_follow_up(
                db_session(),
                follow_up_id,
                officer=current_officer(),
                log_interaction=form.interaction_to_log(),
            ),
            done="Follow-up marked as done"
            + (" and the interaction logged" if form.log_kind.data else ""),
            aliases=COMPLETE_FIELDS,
        )
    return _show(follow_up, complete_form=form)


@blueprint.post("/<int:follow_up_id>/snooze")
@requires(Permission.WRITE_CRM)
def snooze(follow_up_id: int) -> str | Response:
    follow_up = _follow_up_or_404(follow_up_id)
    form = SnoozeForm()
    if form.validate_on_submit():
        until = form.chosen_date(london_today())
        return _act(
            follow_up,
            form,
            lambda: snooze_follow_up(
                db_session(), follow_up_id, officer=current_officer(), until=until
            ),
            done=f"Follow-up snoozed until {until.day} {until:%B %Y}",
        )
    return _show(follow_up, snooze_form=form)


@blueprint.post("/<int:follow_up_id>/reassign")
@requires(Permission.WRITE_CRM)
def reassign(follow_up_id: int) -> str | Response:
    follow_up = _follow_up_or_404(follow_up_id)
    form = ReassignForm()
    if form.validate_on_submit():
        return _act(
            follow_up,
            form,
            lambda: reassign_follow_up(
                db_session(),
                follow_up_id,
                officer=current_officer(),
                assignee_id=form.assignee_id.data,
            ),
            done="Follow-up reassigned",
        )
    return _show(follow_up, reassign_form=form)


@blueprint.post("/<int:follow_up_id>/dismiss")
@requires(Permission.WRITE_CRM)
def dismiss(follow_up_id: int) -> str | Response:
    follow_up = _follow_up_or_404(follow_up_id)
    form = DismissForm()
    if form.validate_on_submit():
        return _act(
            follow_up,
            form,
            lambda: dismiss_follow_up(
                db_session(), follow_up_id, officer=current_officer(), reason=form.reason.data
            ),
            done="Follow-up dismissed",
        )
    return _show(follow_up, dismiss_form=form)


def _act(
    follow_up: FollowUp,
    form: Any,
    action: Callable[[], FollowUp],
    *,
    done: str,
    aliases: dict[str, str] | None = None,
) -> str | Response:
    """Run one service call: on success commit and go back; on a rule broken, show the
    follow-up page with the error beside the field it concerns."""
    session = db_session()
    try:
        action()
    except FollowUpNotAllowed:
        abort(403)
    except FollowUpNotOpen as error:
        session.rollback()
        flash(str(error), "info")
        return redirect(url_for("follow_ups.show", follow_up_id=follow_up.id))
    except WeaverError as error:
        session.rollback()
        _field_for(form, error, aliases).errors.append(str(error))
        return _show(_follow_up_or_404(follow_up.id), **{_FORM_KEYS[type(form)]: form})
    commit()
    flash(done, "success")
    return redirect(_back_to(follow_up))


_FORM_KEYS = {
    CompleteForm: "complete_form",
    SnoozeForm: "snooze_form",
    ReassignForm: "reassign_form",
    DismissForm: "dismiss_form",
}


def _show(follow_up: FollowUp, **forms: Any) -> str:
    session = db_session()
    officer = current_officer()
    today = london_today()
    now = to_london(utc_now())
    complete_form = forms.get("complete_form") or CompleteForm(
        formdata=None, log_on=now.date(), log_time=now.strftime("%H:%M")
    )
    reassign_form = forms.get("reassign_form") or ReassignForm(formdata=None)
    choices = reassign_choices(session, follow_up, officer=officer)
    reassign_form.assignee_id.choices = [
        (0, "Choose an officer"),
        *((o.id, o.name) for o in choices),
    ]
    errored = next((form for form in forms.values() if form.errors), None)
    return render_template(
        "follow_ups/show.html",
        follow_up=follow_up,
        today=today,
        complete_form=complete_form,
        snooze_form=forms.get("snooze_form") or SnoozeForm(formdata=None),
        reassign_form=reassign_form,
        dismiss_form=forms.get("dismiss_form") or DismissForm(formdata=None),
        # reassign_choices is empty for an officer who may not reassign it.
        may_reassign=bool(choices),
        errored=errored,
        snooze_hints=snooze_hints(today),
    )


def _follow_up_or_404(follow_up_id: int) -> FollowUp:
    try:
        return get_follow_up(db_session(), follow_up_id, viewer=current_officer())
    except NotFound:
        abort(404)


def _source_or_404(interaction_id: int | None) -> Interaction | None:
    if interaction_id is None:
        return None
    try:
        return follow_up_source(db_session(), interaction_id, viewer=current_officer())
    except NotFound:
        abort(404)


def _contact_choices(source: Interaction | None) -> list[tuple[int, str]]:
    if source is not None and source.contacts:
        return [(0, "Choose a contact"), *((c.id, c.name) for c in source.contacts)]
    return [(0, "Choose a contact"), *contact_choices(db_session(), viewer=current_officer())]


def _only_contact(source: Interaction | None) -> int:
    if source is not None and len(source.contacts) == 1:
        return source.contacts[0].id
    return 0


def _after_adding(follow_up: FollowUp, source: Interaction | None) -> str:
    if source is not None and source.kind is InteractionKind.POST:
        return url_for("review.post", interaction_id=source.id)
    return url_for("contacts.show", contact_id=follow_up.contact_id)


def _back_to(follow_up: FollowUp) -> str:
    """Where the officer acted from: a list sends its own path; the follow-up page, none."""
    target = request.form.get("next")
    if target:
        return safe_next(target)
    return url_for("follow_ups.show", follow_up_id=follow_up.id)


def _contact(contact_id: int | None) -> Contact | None:
    if not contact_id:
        return None
    try:
        return get_contact(db_session(), contact_id, viewer=current_officer())
    except NotFound:
        return None


def _field_for(form: Any, error: WeaverError, aliases: dict[str, str] | None = None) -> Field:
    """The form field a service error belongs to; the form's first field if it names none
    the form has."""
    name = getattr(error, "field", None) or ""
    name = (aliases or {}).get(name, name)
    fields = [field for field in form if field.name not in {"csrf_token", "submit"}]
    return form._fields.get(name) or fields[0]
