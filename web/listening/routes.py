"""Listening pages for admins. Nothing here calls a platform: "Run now" and "Retry" leave a
request that the scheduler process picks up."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms import Field

from crm.errors import InvalidInput, NotFound, WeaverError
from crm.models import CollectionTarget, Platform, QuarantineStatus, TargetKind
from crm.permissions import Permission
from crm.services import account_lookup, collection, listening_admin, targets
from crm.services.listening_admin import TargetState, target_state
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session
from web.filters import humanise, long_date
from web.listening.forms import ActionForm, MonthlyCapForm, NewAccountForm, NewQueryForm

blueprint = Blueprint("listening", __name__, url_prefix="/listening")


@blueprint.get("")
@requires(Permission.MANAGE_SOURCES)
def index() -> str:
    return _status_page({})


@blueprint.post("/sources/<platform>/cap")
@requires(Permission.MANAGE_SOURCES)
def set_cap(platform: str) -> str | Response:
    chosen = _platform_or_404(platform)
    form = MonthlyCapForm(prefix=chosen.value)
    if not form.validate_on_submit():
        return _status_page({chosen: form})
    collection.set_monthly_cap(db_session(), chosen, form.cap(), officer_id=current_officer().id)
    commit()
    cap = form.cap()
    flash(
        f"Weaver will read at most {cap:,} posts a month from {humanise(chosen)}"
        if cap is not None
        else f"There is no monthly cap on reading from {humanise(chosen)}",
        "success",
    )
    return redirect(url_for("listening.index"))


@blueprint.post("/sources/<platform>/resume")
@requires(Permission.MANAGE_SOURCES)
def resume_source(platform: str) -> Response:
    chosen = _platform_or_404(platform)
    _confirmed()
    collection.resume_source(db_session(), chosen, officer_id=current_officer().id)
    commit()
    flash(f"Collection from {humanise(chosen)} will resume at the next run", "success")
    return redirect(url_for("listening.index"))


@blueprint.get("/targets/<int:target_id>")
@requires(Permission.MANAGE_SOURCES)
def target(target_id: int) -> str:
    try:
        detail = listening_admin.target_detail(db_session(), target_id, viewer=current_officer())
    except NotFound:
        abort(404)
    return render_template(
        "listening/target.html",
        detail=detail,
        target=detail.target,
        state=target_state(detail.target),
        action=ActionForm(),
    )


@blueprint.post("/targets/<int:target_id>/run")
@requires(Permission.MANAGE_SOURCES)
def run_now(target_id: int) -> Response:
    target = _target_or_404(target_id)
    _confirmed()
    if target_state(target) not in (TargetState.ACTIVE, TargetState.PAUSED):
        flash("Resume collecting before asking for a run", "error")
    else:
        targets.request_run(db_session(), target.id, officer_id=current_officer().id)
        commit()
        flash(f"{target.name} will run within a minute. Refresh this page to see it", "success")
    return redirect(url_for("listening.target", target_id=target.id))


@blueprint.post("/targets/<int:target_id>/stop")
@requires(Permission.MANAGE_SOURCES)
def stop(target_id: int) -> Response:
    return _set_active(target_id, active=False)


@blueprint.post("/targets/<int:target_id>/resume")
@requires(Permission.MANAGE_SOURCES)
def resume(target_id: int) -> Response:
    return _set_active(target_id, active=True)


@blueprint.post("/targets/<int:target_id>/approve")
@requires(Permission.MANAGE_SOURCES)
def approve(target_id: int) -> Response:
    target = _target_or_404(target_id)
    _confirmed()
    try:
        targets.approve_target(db_session(), target.id, approver_id=current_officer().id)
    except InvalidInput as error:
        flash(str(error), "error")
    else:
        commit()
        flash(
            f"Approved: {target.name} will be collected until it is reviewed on "
            f"{long_date(target.review_on)}",
            "success",
        )
    return redirect(url_for("listening.target", target_id=target.id))


@blueprint.route("/targets/new-query", methods=["GET", "POST"])
@requires(Permission.MANAGE_SOURCES)
def new_query() -> str | Response:
    form = NewQueryForm()
    if form.validate_on_submit():
        try:
            created = targets.create_search_target(
                db_session(),
                name=form.name.data or "",
                query=form.query.data or "",
                purpose=form.purpose.data or "",
                interval_minutes=form.interval(),
                created_by_id=current_officer().id,
            )
        except InvalidInput as error:
            _field_for(form, error, "query").errors.append(str(error))
        else:
            commit()
            flash(f"Listening for {created.name}: the first run is within a minute", "success")
            return redirect(url_for("listening.target", target_id=created.id))
    return render_template("listening/new_query.html", form=form)


@blueprint.route("/targets/new-account", methods=["GET", "POST"])
@requires(Permission.MANAGE_SOURCES)
def new_account() -> str | Response:
    session = db_session()
    form = NewAccountForm()
    form.account_id.choices = [
        (0, "Choose an account"),
        *(
            (choice.account_id, choice.label)
            for choice in listening_admin.account_choices(session, viewer=current_officer())
        ),
    ]
    if form.validate_on_submit():
        try:
            created = targets.create_account_target(
                session,
                account_id=form.account_id.data,
                kind=TargetKind(form.kind.data),
                created_by_id=current_officer().id,
                interval_minutes=form.interval(),
                justification=form.justification.data or "",
                review_on=form.review_on.data,
            )
        except NotFound:
            form.account_id.errors.append("That account is no longer in Weaver: choose another")
        except InvalidInput as error:
            _field_for(form, error, "account_id").errors.append(str(error))
        else:
            commit()
            flash(_created_message(created), "success")
            return redirect(url_for("listening.target", target_id=created.id))
    return render_template("listening/new_account.html", form=form)


@blueprint.get("/quarantine")
@requires(Permission.MANAGE_SOURCES)
def quarantine() -> str:
    return render_template(
        "listening/quarantine.html",
        entries=listening_admin.quarantine_entries(db_session()),
        action=ActionForm(),
    )


@blueprint.post("/quarantine/<int:item_id>/retry")
@requires(Permission.MANAGE_SOURCES)
def retry(item_id: int) -> Response:
    _confirmed()
    try:
        collection.request_retry(db_session(), item_id, officer_id=current_officer().id)
    except NotFound as error:
        flash(str(error), "error")
    else:
        commit()
        flash("The scheduler will read it again within a minute", "success")
    return redirect(url_for("listening.quarantine"))


@blueprint.post("/quarantine/<int:item_id>/dismiss")
@requires(Permission.MANAGE_SOURCES)
def dismiss(item_id: int) -> Response:
    _confirmed()
    try:
        collection.resolve_quarantined(
            db_session(), item_id, QuarantineStatus.DISMISSED, officer_id=current_officer().id
        )
    except NotFound as error:
        flash(str(error), "error")
    else:
        commit()
        flash("Dismissed. It will not be read again", "success")
    return redirect(url_for("listening.quarantine"))


@blueprint.app_context_processor
def sources_needing_attention() -> dict[str, Any]:
    """Every page tells an admin when a platform has stopped and needs them."""
    if not current_user.is_authenticated or not current_user.can(Permission.MANAGE_SOURCES):
        return {}
    if request.blueprint == "listening":  # the status page says so in full
        return {}
    try:
        sources = listening_admin.sources_needing_attention(db_session())
    except SQLAlchemyError:
        # An error page must still render when the database is what failed.
        return {}
    return {"listening_attention": [humanise(source.platform) for source in sources]}


@blueprint.app_template_filter("listening_state")
def listening_state(target: CollectionTarget) -> str:
    return target_state(target).value


def _status_page(cap_forms: dict[Platform, MonthlyCapForm]) -> str:
    session = db_session()
    overviews = listening_admin.platform_overviews(session)
    for overview in overviews:
        if overview.platform not in cap_forms:
            form = MonthlyCapForm(prefix=overview.platform.value, formdata=None)
            cap = overview.budget.cap
            form.monthly_read_cap.data = "" if cap is None else str(cap)
            cap_forms[overview.platform] = form
    errors = [form for form in cap_forms.values() if form.errors]
    return render_template(
        "listening/index.html",
        overviews=overviews,
        cap_forms=cap_forms,
        error_form=errors[0] if errors else None,
        scheduler=listening_admin.scheduler_status(session),
        targets=targets.all_targets(session),
        quarantine_count=collection.open_quarantine_count(session),
        handle_lookup=account_lookup.lookup_overview(session, viewer=current_officer()),
        action=ActionForm(),
    )


def _set_active(target_id: int, *, active: bool) -> Response:
    target = _target_or_404(target_id)
    _confirmed()
    try:
        targets.set_active(db_session(), target.id, active, officer_id=current_officer().id)
    except InvalidInput as error:
        flash(str(error), "error")
    else:
        commit()
        flash(
            f"Collecting {target.name} again" if active else f"Stopped collecting {target.name}",
            "success",
        )
    return redirect(url_for("listening.target", target_id=target.id))


def _created_message(target: CollectionTarget) -> str:
    if target.is_awaiting_approval:
        return (
            f"{target.name} is set up. Another admin must approve it before anything is collected"
        )
    return f"Collecting {target.name}: the first run is within a minute"


def _target_or_404(target_id: int) -> CollectionTarget:
    try:
        return targets.get_target(db_session(), target_id)
    except NotFound:
        abort(404)


def _platform_or_404(value: str) -> Platform:
    try:
        return listening_admin.listened_platform(value)
    except InvalidInput:
        abort(404)


def _confirmed() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _field_for(form: Any, error: WeaverError, fallback: str) -> Field:
    name = getattr(error, "field", None)
    return form._fields.get(name or "", form[fallback])
