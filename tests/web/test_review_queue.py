"""Posts to review, and a collected post's own page, through the web client."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from crm.models import (
    Interaction,
    OfficerRole,
    Organisation,
    Platform,
    PostReview,
    ReviewStatus,
    SocialAccount,
    interaction_contacts,
)
from crm.services.ingestion import Provenance, ingest_posts, store_collected_post
from crm.services.matching import ContactMatcher
from crm.services.posts import CollectedPost
from crm.services.targets import create_search_target
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers, csrf_token_from

_ids = itertools.count(1)


@dataclass(frozen=True)
class Queued:
    review_id: int
    interaction_id: int


def queue_post(
    database,
    handle: str,
    *,
    name: str | None = None,
    text: str = "Is the Marshby pantry open on Saturdays?",
) -> Queued:
    """A post by someone who is not a contact, collected by a listening query."""
    number = next(_ids)
    post = CollectedPost(
        platform=Platform.X,
        external_id=str(1_960_000_000_000_000_000 + number),
        author_platform_id=str(6_000_000 + number),
        author_handle=handle,
        text=text,
        created_at=datetime(2026, 11, 20, 10, number, tzinfo=UTC),
        url=f"https://x.com/{handle}/status/{number}",
        raw={"author": {"name": name}} if name else {},
    )
    with unit_of_work(database.session_factory) as session:
        officer = factories.officer(session, email=f"setup{number}@council.example")
        target = create_search_target(
            session,
            name=f"Food support {number}",
            query="pantry OR foodbank",
            purpose="Find out where residents look for food support",
            created_by_id=officer.id,
        )
        result = ingest_posts(
            session,
            [post],
            matcher=ContactMatcher.load(session, Platform.X),
            provenance=Provenance(
                review_reason="Found by the listening query “Food support”", target_id=target.id
            ),
        )
        interaction_id = result.interaction_ids[post.external_id]
        review_id = session.scalar(
            select(PostReview.id).where(PostReview.interaction_id == interaction_id)
        )
    return Queued(review_id=review_id, interaction_id=interaction_id)


def make_organisation(database, name: str = "Marshby Community Pantry") -> int:
    with unit_of_work(database.session_factory) as session:
        return factories.organisation(session, name).id


def review_status(database, review_id: int) -> ReviewStatus:
    with unit_of_work(database.session_factory) as session:
        return session.get(PostReview, review_id).status


def signed_in_as(officers: Officers, database, role: OfficerRole) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="someone@council.example", role=role)
    assert officers.sign_in("someone@council.example").status_code == 302


def test_the_queue_shows_each_post_with_why_it_is_there_and_suggestions(
    client, officers, database
) -> None:
    officers.signed_in()
    pantry_id = make_organisation(database)
    queued = queue_post(database, "marshby_pantry_uk", name="Marshby Community Pantry")

    page = client.get("/review")
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Posts to review</h1>' in html
    assert "Posts to review (1)" in html
    assert "<bdi>@marshby_pantry_uk</bdi> (<bdi>Marshby Community Pantry</bdi>)" in html
    assert "Is the Marshby pantry open on Saturdays?" in html
    assert "Why you are seeing this" in html
    assert "Found by the listening query “Food support”" in html
    assert "Find out where residents look for food support" in html
    assert f'href="/contacts/{pantry_id}"' in html
    assert "https://x.com/marshby_pantry_uk/status/" in html
    assert f'href="/review/{queued.review_id}"' in html
    assert f'action="/review/{queued.review_id}/dismiss"' in html


def test_an_empty_queue_says_so(client, officers) -> None:
    officers.signed_in()

    html = client.get("/review").get_data(as_text=True)

    assert "There are no posts to review." in html
    assert "Posts to review (" not in html


def test_linking_a_post_to_a_contact_found_by_searching(client, officers, database) -> None:
    officers.signed_in()
    pantry_id = make_organisation(database)
    queued = queue_post(database, "hungry_in_marshby")

    search = client.get(f"/review/{queued.review_id}?q=pantry")
    assert 'name="contact_id"' in search.get_data(as_text=True)
    assert f'value="{pantry_id}"' in search.get_data(as_text=True)
    response = client.post(
        f"/review/{queued.review_id}/link",
        data={"csrf_token": csrf_token_from(search), "contact_id": pantry_id, "q": "pantry"},
    )

    assert response.status_code == 302
    assert response.location == "/review"
    queue = client.get("/review").get_data(as_text=True)
    assert "Post linked to Marshby Community Pantry" in queue
    assert "There are no posts to review." in queue
    assert review_status(database, queued.review_id) is ReviewStatus.LINKED
    timeline = client.get(f"/contacts/{pantry_id}").get_data(as_text=True)
    assert f'href="/posts/{queued.interaction_id}"' in timeline
    post_page = client.get(f"/posts/{queued.interaction_id}").get_data(as_text=True)
    assert "Linked by an officer" in post_page


def test_linking_needs_a_contact(client, officers, database) -> None:
    officers.signed_in()
    queued = queue_post(database, "hungry_in_marshby")

    response = officers.post_form(
        f"/review/{queued.review_id}/link", {}, form_page=f"/review/{queued.review_id}"
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose the contact this post belongs to" in html
    assert review_status(database, queued.review_id) is ReviewStatus.WAITING


def test_a_persons_account_is_not_remembered(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        person_id = factories.person(session, "Jo Hungry").id
    queued = queue_post(database, "jo_hungry")

    response = officers.post_form(
        f"/review/{queued.review_id}/link",
        {"contact_id": person_id, "remember_account": "y", "q": "jo"},
        form_page=f"/review/{queued.review_id}?q=jo",
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Only an organisation’s account can be remembered" in html
    assert 'href="#remember_account"' in html
    assert review_status(database, queued.review_id) is ReviewStatus.WAITING
    with unit_of_work(database.session_factory) as session:
        assert session.scalars(select(SocialAccount)).all() == []


def test_the_review_page_says_accounts_are_remembered_for_organisations_only(
    client, officers, database
) -> None:
    officers.signed_in()
    make_organisation(database)
    queued = queue_post(database, "hungry_in_marshby")

    html = client.get(f"/review/{queued.review_id}?q=pantry").get_data(as_text=True)

    assert "Also remember @hungry_in_marshby as this organisation’s account" in html
    assert "Only for organisations" in html
    assert "A person’s account is never added from here" in html


def test_creating_an_organisation_from_a_post(client, officers, database) -> None:
    officers.signed_in()
    queued = queue_post(database, "saltings_repair", name="Saltings Repair Café")

    page = client.get(f"/review/{queued.review_id}")
    assert 'value="Saltings Repair Café"' in page.get_data(as_text=True)
    response = client.post(
        f"/review/{queued.review_id}/organisation",
        data={"csrf_token": csrf_token_from(page), "name": "Saltings Repair Café"},
    )

    assert response.status_code == 302
    assert "Saltings Repair Café created, and the post linked to it" in client.get(
        "/review"
    ).get_data(as_text=True)
    with unit_of_work(database.session_factory) as session:
        organisation = session.scalars(select(Organisation)).one()
        assert [a.handle for a in organisation.accounts] == ["saltings_repair"]
    assert review_status(database, queued.review_id) is ReviewStatus.CREATED


def test_creating_an_organisation_needs_a_name(client, officers, database) -> None:
    officers.signed_in()
    queued = queue_post(database, "saltings_repair")

    response = officers.post_form(
        f"/review/{queued.review_id}/organisation",
        {"name": "  "},
        form_page=f"/review/{queued.review_id}",
    )

    assert response.status_code == 200
    assert "Enter the organisation’s name" in response.get_data(as_text=True)
    assert review_status(database, queued.review_id) is ReviewStatus.WAITING


def test_dismissing_a_post_from_the_queue(client, officers, database) -> None:
    officers.signed_in()
    queued = queue_post(database, "spam_account", text="Win a prize!")
    kept = queue_post(database, "hungry_in_marshby")

    response = officers.post_form(f"/review/{queued.review_id}/dismiss", {}, form_page="/review")

    assert response.status_code == 302
    html = client.get("/review").get_data(as_text=True)
    assert "Post dismissed. It will not come back to this list" in html
    assert "@spam_account" not in html
    assert "@hungry_in_marshby" in html
    assert review_status(database, queued.review_id) is ReviewStatus.DISMISSED
    assert review_status(database, kept.review_id) is ReviewStatus.WAITING


def test_a_post_someone_else_has_dealt_with_says_so(client, officers, database) -> None:
    officers.signed_in()
    pantry_id = make_organisation(database)
    queued = queue_post(database, "hungry_in_marshby")
    page = client.get(f"/review/{queued.review_id}?q=pantry")
    officers.post_form(f"/review/{queued.review_id}/dismiss", {}, form_page="/review")

    late = client.post(
        f"/review/{queued.review_id}/link",
        data={"csrf_token": csrf_token_from(page), "contact_id": pantry_id},
    )

    assert late.status_code == 302
    assert "Someone has already dealt with that post" in client.get("/review").get_data(
        as_text=True
    )
    assert review_status(database, queued.review_id) is ReviewStatus.DISMISSED
    again = client.get(f"/review/{queued.review_id}")
    assert again.status_code == 302
    assert again.location == f"/posts/{queued.interaction_id}"


def test_an_officer_corrects_a_posts_sentiment(client, officers, database) -> None:
    officers.signed_in()
    queued = queue_post(database, "sarcastic_sam", text="Great, another closure. Wonderful news")

    page = client.get(f"/posts/{queued.interaction_id}")
    html = page.get_data(as_text=True)
    assert "Automatic reading: Positive." in html
    assert "Use the automatic reading (positive)" in html
    response = client.post(
        f"/posts/{queued.interaction_id}/sentiment",
        data={"csrf_token": csrf_token_from(page), "sentiment": "negative"},
    )

    assert response.status_code == 302
    html = client.get(f"/posts/{queued.interaction_id}").get_data(as_text=True)
    assert "Sentiment saved" in html
    assert "Alex Officer changed it to negative." in html
    assert "Sentiment: Negative (set by an officer)" in html

    officers.post_form(
        f"/posts/{queued.interaction_id}/sentiment",
        {"sentiment": "automatic"},
        form_page=f"/posts/{queued.interaction_id}",
    )
    html = client.get(f"/posts/{queued.interaction_id}").get_data(as_text=True)
    assert "changed it to" not in html
    assert "Sentiment: Positive" in html


def test_a_sentiment_must_be_chosen(client, officers, database) -> None:
    officers.signed_in()
    queued = queue_post(database, "sarcastic_sam")

    response = officers.post_form(
        f"/posts/{queued.interaction_id}/sentiment",
        {"sentiment": "furious"},
        form_page=f"/posts/{queued.interaction_id}",
    )

    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


def test_a_viewer_can_read_the_queue_but_not_act(client, officers, database) -> None:
    queued = queue_post(database, "hungry_in_marshby")
    signed_in_as(officers, database, OfficerRole.VIEWER)

    queue = client.get("/review")
    review_page = client.get(f"/review/{queued.review_id}")
    post_page = client.get(f"/posts/{queued.interaction_id}")

    assert queue.status_code == review_page.status_code == post_page.status_code == 200
    for html in (queue.get_data(as_text=True), review_page.get_data(as_text=True)):
        assert "Dismiss" not in html
        assert "Link post" not in html
    assert "Save sentiment" not in post_page.get_data(as_text=True)
    token = csrf_token_from(queue)
    for url, data in [
        (f"/review/{queued.review_id}/dismiss", {}),
        (f"/review/{queued.review_id}/link", {"contact_id": 1}),
        (f"/review/{queued.review_id}/organisation", {"name": "Anything"}),
        (f"/posts/{queued.interaction_id}/sentiment", {"sentiment": "negative"}),
    ]:
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    assert review_status(database, queued.review_id) is ReviewStatus.WAITING


@pytest.mark.parametrize(
    "url",
    ["/review", "/review/{review}", "/posts/{post}"],
)
def test_signed_out_visitors_are_sent_to_sign_in(client, database, url) -> None:
    queued = queue_post(database, "hungry_in_marshby")

    response = client.get(url.format(review=queued.review_id, post=queued.interaction_id))

    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_signed_out_visitors_cannot_decide(client, database) -> None:
    queued = queue_post(database, "hungry_in_marshby")

    for url in [
        f"/review/{queued.review_id}/dismiss",
        f"/review/{queued.review_id}/link",
        f"/review/{queued.review_id}/organisation",
        f"/posts/{queued.interaction_id}/sentiment",
    ]:
        response = client.post(url, data={"sentiment": "negative", "name": "x"})
        assert response.status_code in (302, 400), url
        assert not response.location or response.location.startswith("/sign-in")
    assert review_status(database, queued.review_id) is ReviewStatus.WAITING


def test_a_decision_without_the_forms_token_is_refused(client, officers, database) -> None:
    officers.signed_in()
    queued = queue_post(database, "hungry_in_marshby")

    response = client.post(f"/review/{queued.review_id}/dismiss")
    sentiment = client.post(
        f"/posts/{queued.interaction_id}/sentiment", data={"sentiment": "negative"}
    )

    assert response.status_code == 400
    assert sentiment.status_code == 400
    assert review_status(database, queued.review_id) is ReviewStatus.WAITING
    with unit_of_work(database.session_factory) as session:
        assert session.get(Interaction, queued.interaction_id).sentiment_override is None


def test_a_posts_text_author_and_name_are_shown_as_text_not_html(
    client, officers, database
) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        factories.organisation(session, "<i>Pantry</i> & Co")
    queued = queue_post(
        database,
        "<img src=x onerror=alert(1)>",
        name="<b onmouseover=alert(2)>Pantry</b>",
        text='<script>alert("x")</script> see https://example.org/"onclick="alert(3)',
    )

    pages = [
        client.get("/review"),
        client.get(f"/review/{queued.review_id}?q=pantry"),
        client.get(f"/posts/{queued.interaction_id}"),
    ]

    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b onmouseover" not in html
        assert "<i>Pantry</i>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert 'onclick="alert(3)' not in html
    assert "&lt;i&gt;Pantry&lt;/i&gt; &amp;amp; Co" not in pages[1].get_data(as_text=True)
    assert "&lt;i&gt;Pantry&lt;/i&gt; &amp; Co" in pages[1].get_data(as_text=True)


def test_a_post_about_a_hidden_record_is_not_found(app, client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        owner = factories.officer(session, email="olive@council.example", name="Olive Owner")
        person = factories.person(session, "Jo Private")
        person.is_restricted = True
        person.owner_id = owner.id
        number = next(_ids)
        stored = store_collected_post(
            session,
            CollectedPost(
                platform=Platform.X,
                external_id=str(1_970_000_000_000_000_000 + number),
                author_platform_id="8080",
                author_handle="jo_private",
                text="Something personal",
                created_at=datetime(2026, 11, 20, tzinfo=UTC),
            ),
            [person.id],
        )
    officers.signed_in("oscar@council.example")

    assert client.get(f"/posts/{stored.interaction_id}").status_code == 404
    token = csrf_token_from(client.get("/review"))
    assert (
        client.post(
            f"/posts/{stored.interaction_id}/sentiment",
            data={"csrf_token": token, "sentiment": "negative"},
        ).status_code
        == 404
    )
    owner_client = app.test_client()
    assert Officers(owner_client, database).sign_in("olive@council.example").status_code == 302
    assert owner_client.get(f"/posts/{stored.interaction_id}").status_code == 200


def test_a_review_that_does_not_exist_is_not_found(client, officers) -> None:
    officers.signed_in()

    assert client.get("/review/999").status_code == 404
    assert client.get("/posts/999").status_code == 404


def test_links_on_a_post_page_say_why(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Saltings Lunch Club")
        stored = store_collected_post(
            session,
            CollectedPost(
                platform=Platform.X,
                external_id="1980000000000000001",
                author_platform_id="9090",
                author_handle="saltingslunch",
                text="Lunch is on",
                created_at=datetime(2026, 11, 20, tzinfo=UTC),
            ),
            [group.id],
        )
        session.execute(
            interaction_contacts.update()
            .where(interaction_contacts.c.interaction_id == stored.interaction_id)
            .values(evidence="author")
        )

    html = client.get(f"/posts/{stored.interaction_id}").get_data(as_text=True)

    assert "Saltings Lunch Club" in html
    assert "Posted from their account" in html
    assert "Added to Weaver from an import or the demo data" in html
