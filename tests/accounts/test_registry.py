"""The registry of member data (``accounts.privacy``): parts, entries, erasure order."""

import pytest

from accounts import privacy
from accounts.privacy import Entry, Part

APPS = {"accounts", "tenancy", "community", "gamification", "cms", "rewards", "realtime"}


@pytest.fixture
def scratch():
    """Register test parts without leaving them behind."""
    names = []

    def register(part: Part) -> Part:
        names.append(part.name)
        privacy.register(part)
        return part

    yield register
    for name in names:
        privacy.unregister(name)


def test_every_app_that_stores_member_data_registers_a_part():
    assert {part.name for part in privacy.parts()} >= APPS


def test_erasure_runs_content_boards_memberships_inbox_then_rewards():
    assert [p.name for p in privacy.erase_steps()] == [
        "community",
        "gamification",
        "tenancy",
        "realtime",
        "commerce",
        "rewards",
    ]


def test_entries_follow_their_positions_and_folders_are_only_described(scratch):
    scratch(Part(name="zz-test", entries=(Entry(72, "extra/", "files\nover two lines"),)))
    names = [entry.name for entry in privacy.entries()]
    assert names.index("photos/") < names.index("extra/") < names.index("avatar/")
    assert "extra/                    files\n                          over two lines\n" in (
        privacy.readme()
    )


def test_a_file_name_belongs_to_one_part(scratch):
    with pytest.raises(ValueError, match="posts.json is already exported by community"):
        scratch(Part(name="zz-test", entries=(Entry(1, "posts.json", "again"),)))


def test_registering_a_part_again_replaces_it(scratch):
    scratch(Part(name="zz-test", entries=(Entry(999, "a.json", "a"),)))
    scratch(Part(name="zz-test", entries=(Entry(999, "b.json", "b"),)))
    names = [entry.name for entry in privacy.entries()]
    assert "b.json" in names and "a.json" not in names
