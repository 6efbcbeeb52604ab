"""A member deletes her own reply after confirming; the points it earned are taken back."""

from community import demo
from community.models import Post, Topic
from community.services import topics
from tests.community.helpers import points
from tests.e2e.conftest import login

COMMUNITY = "ember-roasters"


def test_a_member_deletes_her_own_reply(server, new_page):
    demo.seed()
    question = Topic.objects.filter(community__slug=COMMUNITY, is_hidden=False).first()
    alice = question.community.memberships.get(user__username="alice").user
    before = points(alice, question.community)
    reply = topics.reply(user=alice, topic=question, body="A reply I will regret.")
    page = new_page()
    login(page, server, "alice", demo.DEMO_PASSWORD)

    page.goto(f"{server}{reply.get_absolute_url()}")
    page.locator(f"#post-{reply.pk}").get_by_role("link", name="Delete").click()
    page.get_by_role("heading", name="Delete your post?").wait_for()
    page.get_by_role("button", name="Delete post").click()

    page.get_by_text("Your post was deleted.").wait_for()
    assert page.get_by_text("A reply I will regret.").count() == 0
    assert not Post.objects.filter(pk=reply.pk).exists()
    assert points(alice, question.community) == before
