from __future__ import annotations

from datetime import timedelta

from crm.clock import london_today
from crm.unit_of_work import unit_of_work
from tests import factories


def test_the_follow_up_list_shows_mine_with_overdue_ones_marked(client, officers, database) -> None:
    me = officers.signed_in()
    today = london_today()
    with unit_of_work(database.session_factory) as session:
        colleague = factories.officer(
            session, email="colleague@council.example", name="Sam Colleague"
        )
        group = factories.organisation(session, "Brackenford Mind")
        factories.follow_up(
            session,
            group,
            due_on=today - timedelta(days=3),
            assignee=session.merge(me),
            note="Send the grant guidance",
        )
        factories.follow_up(
            session,
            group,
            due_on=today + timedelta(days=5),
            assignee=colleague,
            note="Colleague's task",
        )

    mine = client.get("/follow-ups/").get_data(as_text=True)
    everyone = client.get("/follow-ups/?who=everyone").get_data(as_text=True)

    assert "Send the grant guidance" in mine
    assert "Overdue" in mine
    assert "Colleague&#39;s task" not in mine
    assert "Colleague&#39;s task" in everyone
    assert "Sam Colleague" in everyone
    home = client.get("/").get_data(as_text=True)
    assert "1 overdue" in home
