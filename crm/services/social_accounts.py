"""A contact's accounts on social platforms: adding one by its handle, marking an
organisation's official channel, removing one, and the handles it had before.

An officer usually knows only the handle. The platform's permanent user id, which posts are
matched on, is then filled in by the scheduler process (the web app never calls a platform).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, NotFound
from crm.models import (
    AuditAction,
    CollectionTarget,
    Contact,
    HandleChange,
    Officer,
    Organisation,
    Platform,
    SocialAccount,
)
from crm.services import audit
from crm.services.contacts import get_contact
from crm.text import clean_text

MAX_HANDLE = 200
MAX_USER_ID = 100

_X_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_X_PROFILE = re.compile(r"^(?:https?://)?(?:www\.)?(?:x|twitter)\.com/([^/?#]+)", re.IGNORECASE)
_MASTODON_HANDLE = re.compile(r"^[A-Za-z0-9_]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
_BLUESKY_HANDLE = re.compile(r"^[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")

HANDLE_EXAMPLES = {
    Platform.X: "Enter an X handle of up to 15 letters, numbers or underscores, "
    "like brackenfordcvs",
    Platform.MASTODON: "Enter a Mastodon handle with its server, "
    "like brackenfordcvs@mastodon.social",
    Platform.BLUESKY: "Enter a Bluesky handle, like brackenfordcvs.bsky.social",
    Platform.RSS: "Enter the feed’s address, starting http:// or https://",
}


def add_account(
    session: Session,
    contact_id: int,
    *,
    platform: Platform,
    handle: str,
    platform_user_id: str = "",
    is_official: bool = False,
    officer: Officer,
) -> SocialAccount:
    contact = get_contact(session, contact_id, viewer=officer)
    handle = normalised_handle(platform, handle)
    user_id = clean_text(platform_user_id).strip()
    _check_user_id(platform, user_id)
    if is_official and not isinstance(contact, Organisation):
        raise InvalidInput("Only an organisation has an official account", field="is_official")
    _check_not_taken(session, platform, handle, user_id)
    account = SocialAccount(
        contact_id=contact.id,
        platform=platform,
        handle=handle,
        platform_user_id=user_id or None,
        is_official=is_official,
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="contact",
        subject_id=contact.id,
        summary=f"Added the {platform.value} account @{handle} to {contact.name}",
        after=account_snapshot(account),
    )
    return account


def set_official(
    session: Session, account_id: int, *, official: bool, officer: Officer
) -> SocialAccount:
    account, contact = _account_and_contact(session, account_id, officer)
    if official and not isinstance(contact, Organisation):
        raise InvalidInput("Only an organisation has an official account", field="is_official")
    before = account_snapshot(account)
    account.is_official = official
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="contact",
        subject_id=contact.id,
        summary=(
            f"Marked @{account.handle} as {contact.name}’s official account"
            if official
            else f"Marked @{account.handle} as not {contact.name}’s official account"
        ),
        before=before,
        after=account_snapshot(account),
    )
    return account


def remove_account(session: Session, account_id: int, *, officer: Officer) -> Contact:
    """Remove an account from its contact. Posts already linked stay on the timeline."""
    account, contact = _account_and_contact(session, account_id, officer)
    if listening_targets_of(session, account.id):
        raise InvalidInput(
            "Weaver is listening to this account. Ask an admin to stop collecting it under "
            "Listening first",
            field="account",
        )
    before = account_snapshot(account)
    contact.accounts.remove(account)
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="contact",
        subject_id=contact.id,
        summary=f"Removed the {account.platform.value} account @{account.handle} "
        f"from {contact.name}",
        before=before,
    )
    return contact


def get_account(session: Session, account_id: int, *, viewer: Officer) -> SocialAccount:
    account, _contact = _account_and_contact(session, account_id, viewer)
    return account


def listening_targets_of(session: Session, account_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(CollectionTarget)
            .where(CollectionTarget.account_id == account_id)
        )
        or 0
    )


def handle_history(session: Session, account_ids: Sequence[int]) -> dict[int, list[HandleChange]]:
    """Each account's earlier handles, newest change first. The caller has checked the
    accounts' contact is visible."""
    history: dict[int, list[HandleChange]] = defaultdict(list)
    if not account_ids:
        return history
    changes = session.scalars(
        select(HandleChange)
        .where(HandleChange.account_id.in_(account_ids))
        .order_by(HandleChange.changed_at.desc(), HandleChange.id.desc())
    )
    for change in changes:
        history[change.account_id].append(change)
    return history


def normalised_handle(platform: Platform, handle: str) -> str:
    """The handle as stored: no leading @, a profile address reduced to its handle."""
    handle = clean_text(handle).strip()
    if not handle:
        raise InvalidInput("Enter the account’s handle", field="handle")
    if platform is Platform.RSS:
        parts = urlsplit(handle)
        if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            raise InvalidInput(HANDLE_EXAMPLES[platform], field="handle")
        if len(handle) > MAX_HANDLE:
            raise InvalidInput(
                f"The address must be {MAX_HANDLE} characters or fewer", field="handle"
            )
        return handle
    if platform is Platform.X and (profile := _X_PROFILE.match(handle)):
        handle = profile.group(1)
    handle = handle.removeprefix("@")
    pattern = {
        Platform.X: _X_HANDLE,
        Platform.MASTODON: _MASTODON_HANDLE,
        Platform.BLUESKY: _BLUESKY_HANDLE,
    }[platform]
    if not pattern.match(handle) or len(handle) > MAX_HANDLE:
        raise InvalidInput(HANDLE_EXAMPLES[platform], field="handle")
    return handle


def account_snapshot(account: SocialAccount) -> dict:
    return audit.snapshot(
        account, "contact_id", "platform", "platform_user_id", "handle", "is_official"
    )


def _check_user_id(platform: Platform, user_id: str) -> None:
    if not user_id:
        return
    if len(user_id) > MAX_USER_ID or re.search(r"\s", user_id):
        raise InvalidInput(
            "Enter the platform’s user id without spaces, or leave it blank",
            field="platform_user_id",
        )
    if platform is Platform.X and not user_id.isdigit():
        raise InvalidInput(
            "An X user id is a number, like 783214. Leave it blank if you do not know it",
            field="platform_user_id",
        )


def _check_not_taken(session: Session, platform: Platform, handle: str, user_id: str) -> None:
    same_handle = session.scalar(
        select(SocialAccount.id)
        .where(
            SocialAccount.platform == platform,
            func.lower(SocialAccount.handle) == handle.lower(),
        )
        .limit(1)
    )
    same_user = user_id and session.scalar(
        select(SocialAccount.id)
        .where(SocialAccount.platform == platform, SocialAccount.platform_user_id == user_id)
        .limit(1)
    )
    if same_handle is not None or same_user:
        # Which contact is not said: it may be one the officer may not see.
        raise InvalidInput(
            "This account already belongs to a contact. Find that contact, or merge the two",
            field="handle",
        )


def _account_and_contact(
    session: Session, account_id: int, viewer: Officer
) -> tuple[SocialAccount, Contact]:
    account = session.get(SocialAccount, account_id)
    if account is None:
        raise NotFound("No account with that id")
    contact = get_contact(session, account.contact_id, viewer=viewer)
    return account, contact
