"""Allowances on every write: links added by an edit count against the link allowance, and a
review's links count like a post's (community/services/gate.py)."""

import pytest

from community.services import catalogue, topics
from core import errors
from tests.factories import ProductFactory


def links(n: int, start: int = 0) -> str:
    return " ".join(f"[l{i}](https://l{i}.example)" for i in range(start, start + n))


@pytest.fixture
def reply(member, community):
    topic = topics.create_topic(
        user=member, community=community, kind="discussion", title="Plain", body="Plain text"
    )
    return topic.posts.get(is_opening=True)


def test_an_edit_cannot_add_more_links_than_the_allowance(member, reply):
    with pytest.raises(errors.NotAllowed) as excinfo:
        topics.edit_post(user=member, post=reply, body=links(15))
    assert "links" in str(excinfo.value)
    reply.refresh_from_db()
    assert reply.body == "Plain text"


def test_an_edit_counts_only_the_links_it_adds(member, reply):
    # A newcomer may add one link a day: adding it spends it...
    topics.edit_post(user=member, post=reply, body=links(1))
    # ...rewording around it spends nothing, and neither does removing it...
    for n in range(5):
        topics.edit_post(user=member, post=reply, body=f"Reworded {n} {links(1)}")
    topics.edit_post(user=member, post=reply, body="No links any more")
    # ...but adding one more is over the day's allowance.
    with pytest.raises(errors.NotAllowed):
        topics.edit_post(user=member, post=reply, body=links(1, start=5))


def test_a_review_carries_no_more_links_than_the_allowance(member, community):
    product = ProductFactory(community=community)
    with pytest.raises(errors.NotAllowed):
        catalogue.write_review(
            user=member, product=product, rating=5, title="Great", body=links(15)
        )


def test_editing_a_review_counts_the_links_it_adds(member, community):
    product = ProductFactory(community=community)
    review = catalogue.write_review(
        user=member, product=product, rating=5, title="Great", body="Plain"
    )
    with pytest.raises(errors.NotAllowed):
        catalogue.edit_review(user=member, review=review, rating=5, title="Great", body=links(15))
    review.refresh_from_db()
    assert review.body == "Plain"


def test_staff_edits_are_not_limited(moderator, community):
    topic = topics.create_topic(
        user=moderator, community=community, kind="discussion", title="Staff", body="Plain"
    )
    post = topic.posts.get(is_opening=True)
    topics.edit_post(user=moderator, post=post, body=links(15))
