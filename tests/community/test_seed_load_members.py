from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client

from accounts.models import User
from community.demo import DEMO_PASSWORD
from tenancy.models import Membership


def seed(count: int) -> str:
    out = StringIO()
    call_command("seed_load_members", "--count", str(count), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_members_join_every_demo_community_idempotently(make_community):
    communities = [make_community(slug=slug) for slug in ("ember-roasters", "glow-lab")]

    seed(3)
    assert "2 new" in seed(5)
    assert "0 new" in seed(5)

    members = User.objects.filter(username__startswith="load").order_by("username")
    assert [m.username for m in members] == [f"load000{n}" for n in range(1, 6)]
    for community in communities:
        assert Membership.objects.filter(community=community, user__in=members).count() == 5
    assert Client().login(request=HttpRequest(), username="load0005", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_load_members_need_the_demo_communities():
    with pytest.raises(CommandError, match="seed_demo"):
        seed(2)
