"""The registry of member data: what each app stores about a member, for export and erasure.

``accounts`` sits near the bottom of the layers, yet a member's data lives in every app built
on it. Rather than reach up into them, accounts keeps this registry: each app that stores
member data describes it in one ``Part`` (in the app's own ``privacy.py``) and registers it
from its ``AppConfig.ready()``::

    # community/apps.py
    def ready(self):
        from accounts import privacy
        from community.privacy import PART

        privacy.register(PART)

"Export my data" (``accounts.selectors.write_export``) and "delete my account"
(``accounts.services.delete_account``) only walk the registered parts. A part has up to three
pieces, each optional:

``entries``
    Its files in the archive, each an ``Entry``: a JSON list written row by row from
    ``rows(user, attach)``, or (without ``rows``) a folder that other entries fill through
    ``attach``. ``about`` is the entry's line in the archive's README.txt; ``position`` places
    it in the archive and the README (accounts' own come first, then roughly the layers; take a
    free number when adding one).
``choices``
    ``choices(user) -> dict``: the privacy choices the part keeps for the member; they are
    merged into privacy.json after accounts' own.
``erase``
    ``erase(user, erasure)``: what happens to the part's data when the member deletes their
    account. Steps run in ascending ``erase_order`` inside ``delete_account``'s transaction,
    with the User row locked and not yet anonymised (its old username is also on the
    ``Erasure``); after them accounts anonymises the row itself. The order numbers in use:

    ==  ============  =======================================================================
    10  community     with ``remove_content``: blank and hide posts/reviews, delete photos
    20  gamification  off every public board (while the memberships still exist)
    30  tenancy       memberships end
    40  realtime      own notifications and preferences go; others' inboxes name "deleted member"
    50  rewards       shipping notes are cleared
    ==  ============  =======================================================================

Only rows that belong to the member may be read or changed: every query filters on them.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from accounts.models import User

#: Rows fetched per database round trip while streaming an entry.
CHUNK = 500

#: ``attach(field_file, folder)``: queue a stored file for the archive under ``folder/``; returns
#: its path in the archive, or None when there is no file (or storage lost it).
Attach = Callable[[object, str], str | None]
#: ``rows(user, attach)``: the member's rows of one entry, as JSON-ready dicts (dates allowed).
Rows = Callable[[User, Attach], Iterable[dict]]


@dataclass(frozen=True)
class Entry:
    """One file of the export archive (a JSON list), or a folder other entries put files in."""

    position: int
    name: str
    #: Its line in README.txt; a multi-line text is indented under the first line.
    about: str
    #: None for a folder, which is only described.
    rows: Rows | None = None


@dataclass
class Erasure:
    """One account deletion in progress, handed to each part's ``erase`` step."""

    #: The member chose to take their contributions out of view (not only anonymise them).
    remove_content: bool
    #: Their username before the deletion (other members' data may quote it).
    old_username: str
    #: Stored files to delete once the deletion is committed (storage is not transactional).
    files: list[str] = field(default_factory=list)

    def delete_files(self, *names: str) -> None:
        """Delete these stored files after commit (empty names are skipped)."""
        self.files.extend(name for name in names if name)


@dataclass(frozen=True)
class Part:
    """What one app stores about a member: its archive entries, privacy choices and erasure."""

    #: Who contributes it, usually the app label; one part per name.
    name: str
    entries: tuple[Entry, ...] = ()
    choices: Callable[[User], dict] | None = None
    erase: Callable[[User, Erasure], None] | None = None
    erase_order: int = 100


_parts: dict[str, Part] = {}


def register(part: Part) -> None:
    """Add ``part``; a part registered again under the same name replaces the earlier one.

    Raises ``ValueError`` when one of its entries takes a file name another part already writes.
    """
    taken = {e.name: p.name for p in _parts.values() if p.name != part.name for e in p.entries}
    for entry in part.entries:
        if entry.name in taken:
            raise ValueError(
                f"{part.name}: {entry.name} is already exported by {taken[entry.name]}"
            )
    _parts[part.name] = part


def unregister(name: str) -> None:
    """Remove the part registered under ``name`` (tests); unknown names are ignored."""
    _parts.pop(name, None)


def parts() -> list[Part]:
    """The registered parts, in the order they were registered."""
    return list(_parts.values())


def entries() -> list[Entry]:
    """Every part's archive entries, in archive (and README) order."""
    return sorted((e for p in _parts.values() for e in p.entries), key=lambda e: e.position)


def erase_steps() -> list[Part]:
    """The parts with an erasure step, in the order the steps run."""
    return sorted((p for p in _parts.values() if p.erase), key=lambda p: p.erase_order)


def choices(user: User) -> dict:
    """Every part's privacy choices for the member, merged (privacy.json)."""
    merged: dict = {}
    for part in _parts.values():
        if part.choices:
            merged.update(part.choices(user))
    return merged


README_TITLE = """Your Brandloop data
==================

This archive holds a copy of everything stored about your account, as JSON (UTF-8). Each .json
file is a list of objects; dates are ISO 8601 in UTC.

"""
ABOUT_COLUMN = 26


def readme() -> str:
    """The archive's README.txt: what each file and folder holds, in archive order."""
    lines = []
    for entry in entries():
        first, *more = entry.about.splitlines()
        lines.append(f"{entry.name:<{ABOUT_COLUMN - 2}}  {first}")
        lines.extend(" " * ABOUT_COLUMN + line for line in more)
    return README_TITLE + "\n".join(lines) + "\n"


# --- Helpers for rows -----------------------------------------------------------------------


def json_value(value):
    """A row's value as JSON can carry it: dates and times become ISO 8601 strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def json_row(row: dict) -> dict:
    return {key: json_value(value) for key, value in row.items()}


def values(queryset, *fields: str) -> Iterator[dict]:
    """The queryset's ``fields`` as dicts, streamed from the database in chunks."""
    return queryset.values(*fields).iterator(chunk_size=CHUNK)


def listing(queryset_for: Callable[[User], object], *fields: str) -> Rows:
    """Rows for an entry that is one query: ``values(queryset_for(user), *fields)``."""

    def rows(user: User, attach: Attach) -> Iterator[dict]:
        return values(queryset_for(user), *fields)

    return rows


# --- Accounts' own part ---------------------------------------------------------------------


def _profile(user: User, attach: Attach) -> Iterator[dict]:
    yield {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "bio": user.bio,
        "avatar": attach(user.avatar, "avatar"),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _privacy(user: User, attach: Attach) -> Iterator[dict]:
    yield {"profile_activity_members_only": user.activity_members_only, **choices(user)}


PART = Part(
    name="accounts",
    entries=(
        Entry(
            10,
            "profile.json",
            "your account: username, e-mail, names, bio, avatar, when you joined",
            _profile,
        ),
        Entry(
            20,
            "privacy.json",
            "your privacy choices: profile activity visibility and, per community,\n"
            "whether you appear on public leaderboards and the recognition feed",
            _privacy,
        ),
        Entry(75, "avatar/", "your avatar image, if you uploaded one"),
    ),
)
