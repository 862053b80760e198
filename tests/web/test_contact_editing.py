"""Adding, changing, handing over, merging and deleting contacts through the web client:
validation in the GOV.UK error summary, confirmation pages, escaping, and restricted records
staying hidden from officers outside the owner's team."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from crm.database import Database
from crm.models import (
    Affiliation,
    AuditAction,
    AuditEvent,
    CadenceTier,
    Contact,
    ContactMerge,
    Locality,
    OfficerRole,
    Organisation,
    Person,
    SocialAccount,
    Theme,
    Ward,
)
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers, csrf_token_from

WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def count(database: Database, model) -> int:
    with unit_of_work(database.session_factory) as session:
        return session.scalar(select(func.count()).select_from(model))


def make(database: Database, build):
    with unit_of_work(database.session_factory) as session:
        return build(session)


def me(database: Database, email: str = "officer@council.example") -> int:
    with unit_of_work(database.session_factory) as session:
        return officer_by_email(session, email).id


# Adding


def test_an_officer_adds_an_organisation_and_sees_its_details(client, officers, database):
    officers.signed_in()

    def places(session):
        north = Locality(name="Northgate", wards=[Ward(name="Abbey")])
        session.add_all([north, Theme(name="Youth work"), CadenceTier(name="Monthly", days=30)])
        session.flush()
        return {
            "locality": north.id,
            "ward": north.wards[0].id,
            "theme": session.scalar(select(Theme.id).where(Theme.name == "Youth work")),
            "tier": session.scalar(select(CadenceTier.id).where(CadenceTier.name == "Monthly")),
        }

    ids = make(database, places)
    form = client.get("/contacts/new/organisation").get_data(as_text=True)
    assert "Add an organisation" in form
    assert 'name="csrf_token"' in form

    response = officers.post_form(
        "/contacts/new/organisation",
        {
            "name": "Northgate Youth Hub",
            "organisation_type": "cio",
            "description": "Youth club on Tuesdays",
            "charity_number": "1123456",
            "companies_house_number": "ce012345",
            "website": "https://northgateyouth.example.org",
            "email": "hello@northgateyouth.example.org",
            "phone": "01632 960 001",
            "locality_id": ids["locality"],
            "ward_id": ids["ward"],
            "localities_served_ids": [ids["locality"]],
            "wards_served_ids": [ids["ward"]],
            "theme_ids": [ids["theme"]],
            "tags": "Funding bid, Winter",
            "cadence_tier_id": ids["tier"],
            "cadence_days": "",
            "owner_id": me(database),
        },
    )

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Added Northgate Youth Hub" in page
    for shown in (
        "Charitable incorporated organisation (CIO)",
        "1123456",
        "CE012345",
        'href="https://northgateyouth.example.org"',
        "Youth work",
        "Abbey",
        "Funding bid",
        "Monthly: every 30 days",
        "Alex Officer",
        "Youth club on Tuesdays",
    ):
        assert shown in page, shown


def test_every_mistake_is_listed_in_the_error_summary_and_nothing_is_saved(
    client, officers, database
):
    officers.signed_in()

    response = officers.post_form(
        "/contacts/new/organisation",
        {
            "name": "",
            "charity_number": "12345",
            "companies_house_number": "123",
            "website": "javascript:alert(1)",
            "email": "nope",
            "cadence_days": "often",
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Add an organisation" in page
    assert "There is a problem" in page
    for field, message in [
        ("name", "Enter the organisation’s name"),
        ("charity_number", "Enter a charity number of 6 to 8 digits"),
        ("companies_house_number", "Enter a Companies House number of 8 characters"),
        ("website", "Enter a website address starting http:// or https://"),
        ("email", "Enter an email address in the correct format"),
        ("cadence_days", "Enter the number of days as a whole number"),
    ]:
        assert f'href="#{field}"' in page, field
        assert message in page, message
    # The summary lists problems in the order the page asks the questions.
    assert page.index('href="#name"') < page.index('href="#charity_number"')
    assert page.index('href="#charity_number"') < page.index('href="#email"')
    assert count(database, Contact) == 0


def test_a_person_can_be_added_as_a_restricted_record(client, officers, database):
    officers.signed_in()

    refused = officers.post_form(
        "/contacts/new/person", {"name": "Jo Private", "is_restricted": "y", "owner_id": ""}
    )
    assert "A restricted record needs a relationship manager" in refused.get_data(as_text=True)

    response = officers.post_form(
        "/contacts/new/person",
        {
            "name": "Jo Private",
            "job_title": "Resident",
            "preferred_contact_method": "phone",
            "is_restricted": "y",
            "owner_id": me(database),
        },
    )

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Restricted" in page
    assert "Telephone" in page  # how they prefer to be contacted
    with unit_of_work(database.session_factory) as session:
        person = session.scalar(select(Person))
        assert person.is_restricted
        summaries = session.scalars(
            select(AuditEvent.summary).where(AuditEvent.subject_id == person.id)
        ).all()
    assert "Restricted the record of Jo Private" in summaries


def test_a_viewer_sees_no_way_to_change_records(client, officers, database):
    make(
        database, lambda s: factories.officer(s, email="v@council.example", role=OfficerRole.VIEWER)
    )
    organisation_id = make(database, lambda s: factories.organisation(s).id)
    officers.sign_in("v@council.example")

    page = client.get(f"/contacts/{organisation_id}").get_data(as_text=True)
    listing = client.get("/contacts/").get_data(as_text=True)

    assert "Change details" not in page and "Delete" not in page
    assert "Add an organisation" not in listing
    assert client.get(f"/contacts/{organisation_id}/edit").status_code == 403
    assert client.get("/contacts/new/person").status_code == 403


# Changing


def test_editing_shows_the_current_details_and_saves_changes(client, officers, database):
    officers.signed_in()
    organisation_id = make(
        database,
        lambda s: factories.organisation(s, "Saltings Lunch Club", charity_number="1123456").id,
    )

    form = client.get(f"/contacts/{organisation_id}/edit").get_data(as_text=True)
    assert 'value="Saltings Lunch Club"' in form
    assert 'value="1123456"' in form
    assert 'name="owner_id"' not in form  # the owner changes by a handover only

    response = officers.post_form(
        f"/contacts/{organisation_id}/edit",
        {"name": "Saltings Lunch Club CIO", "charity_number": "1123456", "website": "saltings.org"},
    )

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Saltings Lunch Club CIO" in page
    assert 'href="https://saltings.org"' in page
    with unit_of_work(database.session_factory) as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.summary.like("Changed the details%"))
        )
    assert event.before["name"] == "Saltings Lunch Club"
    assert event.after["name"] == "Saltings Lunch Club CIO"


def test_a_changed_mistake_keeps_what_was_typed(client, officers, database):
    officers.signed_in()
    person_id = make(database, lambda s: factories.person(s, "Jo Example").id)

    response = officers.post_form(
        f"/contacts/{person_id}/edit", {"name": "Jo Changed", "email": "not-an-email"}
    )

    page = response.get_data(as_text=True)
    assert "Enter an email address in the correct format" in page
    assert 'value="Jo Changed"' in page
    assert make(database, lambda s: s.get(Person, person_id).name) == "Jo Example"


def test_handing_over_shows_in_the_history_on_the_contact_page(client, officers, database):
    officers.signed_in()
    colleague = make(database, lambda s: factories.officer(s, name="Sam Second").id)
    organisation_id = make(database, lambda s: factories.organisation(s, owner_id=me(database)).id)

    blank = officers.post_form(f"/contacts/{organisation_id}/owner", {"owner_id": ""})
    assert "Choose who will manage this relationship" in blank.get_data(as_text=True)
    response = officers.post_form(
        f"/contacts/{organisation_id}/owner",
        {"owner_id": colleague, "note": "The chair prefers calls <b>before</b> 10am"},
    )

    assert response.status_code == 302
    page = client.get(f"/contacts/{organisation_id}").get_data(as_text=True)
    assert "Sam Second now manages this relationship" in page
    assert "Handover history" in page
    assert "from Alex Officer to Sam Second" in page
    assert "The chair prefers calls &lt;b&gt;before&lt;/b&gt; 10am" in page


# Deleting


def test_deleting_asks_first_and_says_what_goes(client, officers, database):
    officers.signed_in()

    def closing_club(session):
        club = factories.organisation(session, "Closing Club")
        other = factories.organisation(session, "Still Here")
        factories.person(session, "Jo", member_of=club)
        factories.logged_interaction(session, [club], when=WHEN)
        factories.logged_interaction(session, [club], when=WHEN)
        factories.logged_interaction(session, [club, other], when=WHEN)
        factories.follow_up(session, club, due_on=date(2026, 4, 1), assignee=None)
        factories.account(session, club)
        return club.id

    club_id = make(database, closing_club)

    confirm = client.get(f"/contacts/{club_id}/delete").get_data(as_text=True)
    assert "Delete <bdi>Closing Club</bdi>?" in confirm
    assert "2 interactions that involve only this organisation" in confirm
    assert "1 follow-up" in confirm
    assert "1 social account" in confirm
    assert "1 affiliation with people" in confirm
    assert "1 interaction that also involves other contacts stays on their timelines" in confirm
    assert count(database, Contact) == 3  # looking at the page deleted nothing

    missing_token = client.post(f"/contacts/{club_id}/delete")
    assert missing_token.status_code == 400
    response = officers.post_form(f"/contacts/{club_id}/delete", {})

    assert response.status_code == 302
    assert response.location == "/contacts/"
    assert "Deleted Closing Club" in client.get("/contacts/").get_data(as_text=True)
    assert client.get(f"/contacts/{club_id}").status_code == 404
    assert count(database, Contact) == 2
    with unit_of_work(database.session_factory) as session:
        deleted = session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.DELETED))
    assert deleted.summary == "Deleted Closing Club"


# Accounts and affiliations


def test_accounts_are_added_by_handle_marked_official_and_removed(client, officers, database):
    officers.signed_in()
    organisation_id = make(database, lambda s: factories.organisation(s, "Hub").id)

    wrong = officers.post_form(
        f"/contacts/{organisation_id}/accounts/new", {"platform": "x", "handle": "no spaces!"}
    )
    assert "Enter an X handle of up to 15 letters" in wrong.get_data(as_text=True)
    added = officers.post_form(
        f"/contacts/{organisation_id}/accounts/new", {"platform": "x", "handle": "@HubNews"}
    )
    assert added.status_code == 302
    account_id = make(database, lambda s: s.scalar(select(SocialAccount.id)))
    listing = client.get(f"/contacts/{organisation_id}/accounts").get_data(as_text=True)
    assert "Not looked up yet" in listing

    officers.post_form(
        f"/contacts/{organisation_id}/accounts/{account_id}/official",
        {},
        form_page=f"/contacts/{organisation_id}/accounts",
    )
    assert make(database, lambda s: s.get(SocialAccount, account_id).is_official)
    page = client.get(f"/contacts/{organisation_id}").get_data(as_text=True)
    assert "<bdi>@HubNews</bdi> (official)" in page

    removed = officers.post_form(f"/contacts/{organisation_id}/accounts/{account_id}/remove", {})
    assert removed.status_code == 302
    assert count(database, SocialAccount) == 0


def test_an_account_of_another_contact_is_not_found_here(client, officers, database):
    officers.signed_in()

    def two(session):
        first = factories.organisation(session, "First")
        second = factories.organisation(session, "Second")
        return first.id, factories.account(session, second).id

    first_id, account_id = make(database, two)
    assert client.get(f"/contacts/{first_id}/accounts/{account_id}/remove").status_code == 404


def test_a_person_is_found_and_added_to_an_organisation_then_leaves(client, officers, database):
    officers.signed_in()

    def pair(session):
        return factories.organisation(session, "Club").id, factories.person(session, "Jo Bloggs").id

    club_id, jo_id = make(database, pair)
    search = client.get(f"/contacts/{club_id}/affiliations/new?q=bloggs").get_data(as_text=True)
    assert "<bdi>Jo Bloggs</bdi>" in search

    missing = officers.post_form(
        f"/contacts/{club_id}/affiliations/new?q=bloggs", {"other_id": jo_id, "role": ""}
    )
    assert "Enter their role" in missing.get_data(as_text=True)
    added = officers.post_form(
        f"/contacts/{club_id}/affiliations/new?q=bloggs",
        {
            "other_id": jo_id,
            "role": "Treasurer",
            "started_on": ["1", "4", "2024"],
            "ended_on": ["", "", ""],
        },
    )
    assert added.status_code == 302
    page = client.get(f"/contacts/{jo_id}").get_data(as_text=True)
    assert "<bdi>Club</bdi></a>, <bdi>Treasurer</bdi>" in page
    assert "since 1 April 2024" in page

    affiliation_id = make(database, lambda s: s.scalar(select(Affiliation.id)))
    too_early = officers.post_form(
        f"/contacts/{jo_id}/affiliations/{affiliation_id}/end", {"ended_on": ["1", "1", "2020"]}
    )
    assert "The end date must be the same as or after the start date" in too_early.get_data(
        as_text=True
    )
    officers.post_form(
        f"/contacts/{jo_id}/affiliations/{affiliation_id}/end", {"ended_on": ["31", "1", "2026"]}
    )
    assert "until 31 January 2026" in client.get(f"/contacts/{club_id}").get_data(as_text=True)


# Merging


def test_merging_two_duplicates_from_the_contact_page(client, officers, database):
    officers.signed_in()

    def duplicates(session):
        kept = factories.organisation(session, "Saltings Lunch Club")
        gone = factories.organisation(session, "Saltings lunch club", charity_number="1123456")
        factories.logged_interaction(session, [gone], when=WHEN, note="Met the duplicate")
        factories.logged_interaction(session, [kept, gone], when=WHEN, note="Met both")
        return kept.id, gone.id

    kept_id, gone_id = make(database, duplicates)
    choose = client.get(f"/contacts/merge?first={kept_id}").get_data(as_text=True)
    assert "Likely duplicates" in choose
    assert f"/contacts/merge/compare?first={kept_id}&amp;second={gone_id}" in choose
    compare_url = f"/contacts/merge/compare?first={kept_id}&second={gone_id}"
    compare = client.get(compare_url).get_data(as_text=True)
    assert "The two records side by side" in compare
    assert "1123456" in compare
    assert "1 interaction involves both records" in compare

    unchosen = officers.post_form(compare_url, {})
    assert "Choose which record should stay" in unchosen.get_data(as_text=True)
    response = officers.post_form(compare_url, {"survivor_id": kept_id})

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Merged Saltings lunch club into this record" in page
    assert "Met the duplicate" in page and "Met both" in page
    assert "Merged records" in page
    assert client.get(f"/contacts/{gone_id}").status_code == 404
    with unit_of_work(database.session_factory) as session:
        merge = session.scalar(select(ContactMerge))
        kept = session.get(Organisation, kept_id)
        assert (merge.survivor_id, merge.merged_contact_id) == (kept_id, gone_id)
        assert kept.charity_number == "1123456"


def test_a_person_and_an_organisation_cannot_be_compared(client, officers, database):
    officers.signed_in()

    def pair(session):
        return factories.organisation(session).id, factories.person(session).id

    organisation_id, person_id = make(database, pair)
    response = client.get(f"/contacts/merge/compare?first={organisation_id}&second={person_id}")
    assert response.status_code == 302
    assert "cannot be merged" in client.get(response.location).get_data(as_text=True)


# Escaping and restricted records


def test_names_and_notes_are_escaped_on_every_editing_page(client, officers, database):
    officers.signed_in()

    def hostile(session):
        club = factories.organisation(session, XSS)
        twin = factories.organisation(session, XSS)
        person = factories.person(session, XSS)
        session.add(Affiliation(person=person, organisation=club, role=XSS))
        factories.account(session, club, handle="fine")
        return club.id, twin.id

    club_id, twin_id = make(database, hostile)
    pages = [
        f"/contacts/{club_id}",
        f"/contacts/{club_id}/edit",
        f"/contacts/{club_id}/delete",
        f"/contacts/{club_id}/owner",
        f"/contacts/{club_id}/accounts",
        f"/contacts/{club_id}/affiliations/new?q=script",
        f"/contacts/merge?first={club_id}&q=script",
        f"/contacts/merge/compare?first={club_id}&second={twin_id}",
    ]
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


@pytest.fixture
def restricted(database: Database) -> dict[str, int]:
    def scene(session):
        owner = factories.officer(session, email="olive@council.example", name="Olive Owner")
        factories.officer(session, email="oscar@council.example", name="Oscar Outsider")
        visible = factories.person(session, "Jo Private")
        hidden = factories.person(session, "Jo Private")
        hidden.owner_id, hidden.is_restricted = owner.id, True
        club = factories.organisation(session, "Club")
        affiliation = Affiliation(person=hidden, organisation=club, role="Member")
        session.add(affiliation)
        account = factories.account(session, hidden, handle="joprivate")
        session.flush()
        return {
            "hidden": hidden.id,
            "visible": visible.id,
            "club": club.id,
            "affiliation": affiliation.id,
            "account": account.id,
        }

    return make(database, scene)


def test_a_restricted_record_cannot_be_changed_by_an_officer_who_cannot_see_it(
    app, database, restricted
):
    client = app.test_client()
    outsider = Officers(client, database)
    assert outsider.sign_in("oscar@council.example").status_code == 302
    hidden, account = restricted["hidden"], restricted["account"]
    token = csrf_token_from(client.get("/contacts/new/person"))
    urls = [
        f"/contacts/{hidden}/edit",
        f"/contacts/{hidden}/delete",
        f"/contacts/{hidden}/owner",
        f"/contacts/{hidden}/accounts/new",
        f"/contacts/{hidden}/accounts/{account}/remove",
        f"/contacts/{hidden}/affiliations/new",
        f"/contacts/{hidden}/affiliations/{restricted['affiliation']}/end",
        f"/contacts/{restricted['club']}/affiliations/{restricted['affiliation']}/end",
        f"/contacts/merge/compare?first={restricted['visible']}&second={hidden}",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        answer = client.post(
            url, data={"csrf_token": token, "name": "Taken", "survivor_id": hidden}
        )
        assert answer.status_code == 404, url
    for url in (f"/contacts/{hidden}/accounts", f"/contacts/merge?first={hidden}"):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/contacts/{hidden}/accounts/{account}/official",
        f"/contacts/{hidden}/accounts/{account}/not-official",
    ):
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url

    assert "Jo Private" in client.get("/contacts/merge?q=private").get_data(as_text=True)
    found = client.get(f"/contacts/merge?first={restricted['visible']}").get_data(as_text=True)
    assert f"second={hidden}" not in found
    with unit_of_work(database.session_factory) as session:
        person = session.get(Person, hidden)
        assert person is not None and person.name == "Jo Private"
        assert session.scalar(select(func.count()).select_from(ContactMerge)) == 0


def test_the_owner_restricts_and_unrestricts_a_record_from_the_edit_page(app, database, restricted):
    client = app.test_client()
    owner = Officers(client, database)
    assert owner.sign_in("olive@council.example").status_code == 302
    hidden = restricted["hidden"]

    form = client.get(f"/contacts/{hidden}/edit").get_data(as_text=True)
    assert 'name="is_restricted"' in form and "checked" in form
    response = owner.post_form(f"/contacts/{hidden}/edit", {"name": "Jo Private"})

    assert response.status_code == 302
    assert make(database, lambda s: s.get(Person, hidden).is_restricted) is False
    with unit_of_work(database.session_factory) as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.summary.like("Lifted the restriction%"))
        )
    assert event.after == {"is_restricted": False}
