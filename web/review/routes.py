"""The review queue of collected posts, and a page for each collected post."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.models import ContactKind, ReviewStatus
from crm.permissions import Permission, can
from crm.services import review as reviews
from crm.services.contacts import search_contacts
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session
from web.review.forms import (
    AUTOMATIC,
    CreateOrganisationForm,
    DismissForm,
    LinkToContactForm,
    SentimentForm,
)

blueprint = Blueprint("review", __name__)

SEARCH_RESULTS = 10
ALREADY_REVIEWED = "Someone has already dealt with that post"


@blueprint.app_context_processor
def _waiting_for_review() -> dict[str, Any]:
    def posts_waiting_for_review() -> int | None:
        if not current_user.is_authenticated or not can(current_user.officer, Permission.READ_CRM):
            return None
        try:
            return reviews.waiting_count(db_session(), viewer=current_officer())
        except SQLAlchemyError:
            # The navigation is drawn on error pages too, and the database may be what failed.
            return None

    return {"posts_waiting_for_review": posts_waiting_for_review}


@blueprint.get("/review")
@requires(Permission.READ_CRM)
def queue() -> str:
    page = reviews.waiting_reviews(
        db_session(), viewer=current_officer(), page=request.args.get("page", 1, type=int)
    )
    return render_template("review/queue.html", page=page)


@blueprint.get("/review/<int:review_id>")
@requires(Permission.READ_CRM)
def show(review_id: int) -> str | Response:
    item = _review_or_404(review_id)
    if item.review.status is not ReviewStatus.WAITING:
        flash(ALREADY_REVIEWED, "info")
        return redirect(url_for("review.post", interaction_id=item.post.id))
    return _show(item, query=request.args.get("q", ""))


@blueprint.post("/review/<int:review_id>/link")
@requires(Permission.WRITE_CRM)
def link(review_id: int) -> str | Response:
    item = _review_or_404(review_id)
    form = LinkToContactForm()
    if form.validate_on_submit():
        try:
            contact = reviews.link_to_contact(
                db_session(),
                review_id,
                form.contact_id.data,
                current_officer().id,
                remember_account=bool(form.remember_account.data),
            )
        except reviews.AlreadyReviewed:
            return _already_reviewed()
        except NotFound:
            form.contact_id.errors.append("That contact could not be found. Choose another")
        except InvalidInput as error:
            form[error.field or "contact_id"].errors.append(str(error))
        else:
            commit()
            remembered = " and remembered the account" if form.remember_account.data else ""
            flash(f"Post linked to {contact.name}{remembered}", "success")
            return redirect(url_for("review.queue"))
    return _show(item, query=request.form.get("q", ""), link_form=form)


@blueprint.post("/review/<int:review_id>/organisation")
@requires(Permission.WRITE_CRM)
def create_organisation(review_id: int) -> str | Response:
    item = _review_or_404(review_id)
    form = CreateOrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = reviews.create_organisation_from(
                db_session(), review_id, form.name.data or "", current_officer().id
            )
        except reviews.AlreadyReviewed:
            return _already_reviewed()
        except InvalidInput as error:
            form.name.errors.append(str(error))
        else:
            commit()
            flash(f"{organisation.name} created, and the post linked to it", "success")
            return redirect(url_for("review.queue"))
    return _show(item, query="", organisation_form=form)


@blueprint.post("/review/<int:review_id>/dismiss")
@requires(Permission.WRITE_CRM)
def dismiss(review_id: int) -> Response:
    if not DismissForm().validate_on_submit():
        abort(400)
    try:
        reviews.dismiss(db_session(), review_id, current_officer().id)
    except reviews.AlreadyReviewed:
        return _already_reviewed()
    except NotFound:
        abort(404)
    commit()
    flash("Post dismissed. It will not come back to this list", "success")
    return redirect(url_for("review.queue", page=request.form.get("page", type=int)))


@blueprint.get("/posts/<int:interaction_id>")
@requires(Permission.READ_CRM)
def post(interaction_id: int) -> str:
    details = _post_or_404(interaction_id)
    form = SentimentForm(formdata=None, sentiment=details.post.sentiment_override or AUTOMATIC)
    return _show_post(details, form)


@blueprint.post("/posts/<int:interaction_id>/sentiment")
@requires(Permission.WRITE_CRM)
def sentiment(interaction_id: int) -> str | Response:
    details = _post_or_404(interaction_id)
    form = SentimentForm()
    if form.validate_on_submit():
        reviews.override_sentiment(db_session(), interaction_id, form.label(), current_officer().id)
        commit()
        flash("Sentiment saved", "success")
        return redirect(url_for("review.post", interaction_id=interaction_id))
    return _show_post(details, form)


def _show_post(details: reviews.PostDetails, form: SentimentForm) -> str:
    automatic = details.automatic_sentiment
    form.sentiment.choices = [
        *form.sentiment.choices[:-1],
        (
            AUTOMATIC,
            f"Use the automatic reading ({automatic.value})"
            if automatic
            else "Use the automatic reading",
        ),
    ]
    return render_template("review/post.html", details=details, form=form)


def _show(
    item: reviews.ReviewItem,
    *,
    query: str,
    link_form: LinkToContactForm | None = None,
    organisation_form: CreateOrganisationForm | None = None,
) -> str:
    query = query.strip()[:200]
    search = (
        search_contacts(db_session(), query, viewer=current_officer(), per_page=SEARCH_RESULTS)
        if query
        else None
    )
    options = _contact_options(item, search.items if search else [])
    link_form = link_form or LinkToContactForm(formdata=None)
    link_form.contact_id.choices = [(option["id"], option["name"]) for option in options]
    return render_template(
        "review/show.html",
        item=item,
        query=query,
        search=search,
        options=options,
        link_form=link_form,
        organisation_form=organisation_form
        or CreateOrganisationForm(
            formdata=None, name=item.author_name or (item.post.author_handle or "")
        ),
    )


def _contact_options(item: reviews.ReviewItem, results) -> list[dict[str, Any]]:
    """The suggestions first, then search results not already suggested."""
    options = [
        {"id": s.contact_id, "name": s.name, "kind": s.kind, "why": s.why} for s in item.suggestions
    ]
    offered = {option["id"] for option in options}
    for contact in results:
        if contact.id not in offered:
            offered.add(contact.id)
            options.append(
                {"id": contact.id, "name": contact.name, "kind": contact.kind, "why": None}
            )
    for option in options:
        option["is_organisation"] = option["kind"] is ContactKind.ORGANISATION
    return options


def _already_reviewed() -> Response:
    flash(ALREADY_REVIEWED, "info")
    return redirect(url_for("review.queue"))


def _review_or_404(review_id: int) -> reviews.ReviewItem:
    try:
        return reviews.get_review(db_session(), review_id, viewer=current_officer())
    except NotFound:
        abort(404)


def _post_or_404(interaction_id: int) -> reviews.PostDetails:
    try:
        return reviews.post_details(db_session(), interaction_id, viewer=current_officer())
    except NotFound:
        abort(404)
