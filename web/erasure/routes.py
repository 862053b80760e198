"""Information governance's erasure requests: record one, see what erasing would remove,
then erase the person or refuse with a reason."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.models import ContactKind, ErasureStatus
from crm.permissions import Permission
from crm.services import erasure
from crm.services.contacts import get_contact, search_contacts
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session
from web.erasure.forms import CarryOutForm, NewRequestForm, RefuseForm

blueprint = Blueprint("erasure", __name__, url_prefix="/erasure")

PEOPLE_SHOWN = 10


@blueprint.get("/")
@requires(Permission.HANDLE_ERASURE)
def index() -> str:
    return render_template(
        "erasure/index.html",
        requests=erasure.all_requests(db_session()),
        respond_by=erasure.respond_by,
        open_status=ErasureStatus.OPEN,
    )


@blueprint.get("/new")
@requires(Permission.HANDLE_ERASURE)
def choose_person() -> str | Response:
    query = request.args.get("q", "").strip()
    people = None
    if query:
        people = search_contacts(
            db_session(),
            query,
            viewer=current_officer(),
            kind=ContactKind.PERSON,
            per_page=PEOPLE_SHOWN,
        )
    return render_template("erasure/choose_person.html", query=query, people=people)


@blueprint.route("/new/<int:contact_id>", methods=["GET", "POST"])
@requires(Permission.HANDLE_ERASURE)
def new(contact_id: int) -> str | Response:
    session = db_session()
    try:
        person = get_contact(session, contact_id, viewer=current_officer())
    except NotFound:
        abort(404)
    form = NewRequestForm()
    if form.validate_on_submit():
        try:
            recorded = erasure.record_request(
                session,
                reference=form.reference.data or "",
                contact_id=person.id,
                received_on=form.received_on.data,
                officer=current_officer(),
            )
        except InvalidInput as error:
            field = getattr(form, error.field or "reference", form.reference)
            field.errors = [*field.errors, str(error)]
        else:
            commit()
            flash(f"Erasure request {recorded.reference} recorded", "success")
            return redirect(url_for("erasure.show", request_id=recorded.id))
    return render_template("erasure/new.html", form=form, person=person)


def _request_or_404(request_id: int):
    try:
        return erasure.get_request(db_session(), request_id)
    except NotFound:
        abort(404)


@blueprint.get("/<int:request_id>")
@requires(Permission.HANDLE_ERASURE)
def show(request_id: int) -> str:
    return _show(request_id, carry_out=CarryOutForm(), refuse=RefuseForm())


def _show(request_id: int, *, carry_out: CarryOutForm, refuse: RefuseForm) -> str:
    found = _request_or_404(request_id)
    plan = None
    if found.status is ErasureStatus.OPEN and found.contact is not None:
        plan = erasure.plan_erasure(db_session(), found)
    errors = [*carry_out.errors.items(), *refuse.errors.items()]
    return render_template(
        "erasure/show.html",
        erasure_request=found,
        plan=plan,
        respond_by=erasure.respond_by(found.received_on),
        carry_out=carry_out,
        refuse=refuse,
        has_errors=bool(errors),
        open_status=ErasureStatus.OPEN,
    )


@blueprint.post("/<int:request_id>/erase")
@requires(Permission.HANDLE_ERASURE)
def erase(request_id: int) -> str | Response:
    found = _request_or_404(request_id)
    form = CarryOutForm()
    if not form.validate_on_submit():
        return _show(found.id, carry_out=form, refuse=RefuseForm(formdata=None))
    try:
        erasure.carry_out(db_session(), found.id, officer=current_officer())
    except InvalidInput as error:
        flash(str(error), "error")
        return redirect(url_for("erasure.show", request_id=found.id))
    commit()
    flash(f"The person in request {found.reference} has been erased", "success")
    return redirect(url_for("erasure.show", request_id=found.id))


@blueprint.post("/<int:request_id>/refuse")
@requires(Permission.HANDLE_ERASURE)
def refuse(request_id: int) -> str | Response:
    found = _request_or_404(request_id)
    form = RefuseForm()
    if not form.validate_on_submit():
        return _show(found.id, carry_out=CarryOutForm(formdata=None), refuse=form)
    try:
        erasure.refuse(db_session(), found.id, officer=current_officer(), reason=form.reason.data)
    except InvalidInput as error:
        flash(str(error), "error")
        return redirect(url_for("erasure.show", request_id=found.id))
    commit()
    flash(f"Request {found.reference} refused", "success")
    return redirect(url_for("erasure.show", request_id=found.id))
