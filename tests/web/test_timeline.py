"""A contact's timeline on its page: times in London, inert post text, filters, the people
toggle and "Older" links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

from crm.clock import london_today, utc_now
from crm.models import InteractionKind
from crm.services.ingestion import store_collected_post
from crm.unit_of_work import unit_of_work
from tests import factories

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OLDER_LINK = re.compile(r'<a [^>]*href="([^"]*)"[^>]*rel="next"')


def timeline_of(page: str) -> str:
    return page[page.index('id="timeline"') :]


def test_post_times_read_in_london_time_either_side_of_the_clocks_going_back(
    client, officers, database
) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session)
        # 1:30am happened twice in London on 27 October 2024: once in BST, once in GMT.
        for moment in (
            datetime(2024, 10, 27, 0, 30, tzinfo=UTC),
            datetime(2024, 10, 27, 1, 30, tzinfo=UTC),
        ):
            store_collected_post(session, factories.post(created_at=moment), [group.id])
        group_id = group.id

    page = timeline_of(client.get(f"/contacts/{group_id}").get_data(as_text=True))

    gmt = page.index("Sunday 27 October 2024, 1:30am GMT")
    bst = page.index("Sunday 27 October 2024, 1:30am BST")
    assert gmt < bst  # the later one, newest first
    assert 'datetime="2024-10-27T01:30:00+00:00"' in page


def test_a_hostile_post_is_shown_as_inert_text_with_only_web_links_clickable(
    client, officers, database
) -> None:
    officers.signed_in()
    text = (
        "<script>alert('x')</script> see javascript:alert(1) and "
        '<a href="javascript:alert(2)">click</a> or https://example.org/news?a=1&b=2.'
    )
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session)
        store_collected_post(
            session,
            factories.post(text=text, url="javascript:alert(3)", author_handle="<b>bad</b>"),
            [group.id],
        )
        group_id = group.id

    page = timeline_of(client.get(f"/contacts/{group_id}").get_data(as_text=True))

    assert "<script>" not in page and "<b>bad</b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;a href=&#34;javascript:alert(2)&#34;&gt;click&lt;/a&gt;" in page
    assert 'href="javascript:' not in page
    links = re.findall(
        r'<a class="govuk-link" href="([^"]+)" rel="noopener noreferrer nofollow"', page
    )
    assert [unescape(link) for link in links] == ["https://example.org/news?a=1&b=2"]
    assert "View the original post" not in page  # its address is not a web address
    assert "Posted by <bdi>@&lt;b&gt;bad&lt;/b&gt;</bdi> on X" in page


def test_follow_ups_sit_on_the_timeline_at_their_dates(client, officers, database) -> None:
    me = officers.signed_in()
    today = london_today()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session)
        me = session.merge(me)
        factories.logged_interaction(
            session, [group], when=utc_now() - timedelta(days=1), note="A call about the lease"
        )
        later = today + timedelta(days=10)
        factories.follow_up(session, group, due_on=later, assignee=me, note="Send the lease")
        factories.follow_up(
            session, group, due_on=today - timedelta(days=3), assignee=me, note="Ring back"
        )
        group_id = group.id

    page = timeline_of(client.get(f"/contacts/{group_id}").get_data(as_text=True))

    assert page.index("Send the lease") < page.index("A call about the lease")
    assert page.index("A call about the lease") < page.index("Ring back")
    assert (
        f'Due <time datetime="{later.isoformat()}">{later:%A} {later.day} {later:%B %Y}</time>'
        in page
    )
    assert page.count(">Overdue</strong>") == 1


def test_filters_narrow_the_timeline_and_older_links_keep_them(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session)
        for n in range(25):
            factories.logged_interaction(
                session,
                [group],
                when=START + timedelta(hours=n),
                note=f"meeting {n}",
                kind=InteractionKind.MEETING,
            )
        factories.logged_interaction(
            session, [group], when=START, note="a quick call", kind=InteractionKind.CALL
        )
        group_id = group.id

    first = client.get(f"/contacts/{group_id}?kind=meeting").get_data(as_text=True)

    assert "a quick call" not in first
    assert "meeting 24" in first and "meeting 5" in first and "meeting 4" not in first
    assert '<option value="meeting" selected>' in first
    older = unescape(OLDER_LINK.search(first).group(1))
    assert "kind=meeting" in older and "cursor=" in older
    second = client.get(older).get_data(as_text=True)
    assert "meeting 4" in second and "meeting 0" in second and "meeting 5" not in second
    assert "a quick call" not in second
    assert OLDER_LINK.search(second) is None
    assert 'rel="prev"' in second  # back to the newest


def test_a_bad_filter_is_explained_and_left_out(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session)
        factories.logged_interaction(session, [group], when=START, note="still shown")
        group_id = group.id

    response = client.get(
        f"/contacts/{group_id}?since=31&since=2&since=2026&kind=nonsense&officer=banana"
    )
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "These filters were not used" in page
    assert "Not a valid date value" in page
    assert "still shown" in page


def test_an_organisations_people_are_shown_when_asked(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Saltings Lunch Club")
        chair = factories.person(session, "Cara Chair", member_of=group)
        factories.logged_interaction(session, [chair], when=START, note="Coffee with Cara")
        factories.logged_interaction(session, [group], when=START, note="Club AGM")
        group_id = group.id

    own = timeline_of(client.get(f"/contacts/{group_id}").get_data(as_text=True))
    assert "Club AGM" in own and "Coffee with Cara" not in own
    # Nothing filtered, so the filters are folded away and nothing is in error.
    assert "govuk-error-message" not in own and 'govuk-details" open' not in own
    toggle = re.search(r'href="([^"]*people=y[^"]*)"', own)
    assert toggle and "Include items of its people" in own

    with_people = timeline_of(client.get(unescape(toggle.group(1))).get_data(as_text=True))

    assert "Club AGM" in with_people and "Coffee with Cara" in with_people
    assert "Show only the organisation’s own items" in with_people
    assert '<input type="hidden" name="people" value="y">' in with_people
