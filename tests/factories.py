"""Shared test data: one factory per model the tests build, plus helpers for members.

``MembershipFactory`` writes the membership row only (no engine side effects), which is what
the fixtures have always done. ``join`` goes through ``community.services.membership`` instead,
so the engine hears about the new member (first join, referral, welcome) as in production.
Roles other than member have no public service yet; staff are made with ``member_of``.
"""

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from accounts.models import User
from community.models import Product
from community.services import membership
from tenancy.models import Community, Membership

PASSWORD = "test-pass-123!"


class UserFactory(DjangoModelFactory):
    """A user made through ``create_user`` (normalised name and e-mail, hashed password)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls._get_manager(model_class).create_user(*args, **kwargs)


class CommunityFactory(DjangoModelFactory):
    """A public community; the name is the slug in title case unless given."""

    class Meta:
        model = Community

    slug = factory.Sequence(lambda n: f"community-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())


class MembershipFactory(DjangoModelFactory):
    """A membership row with a ``role`` (member unless told), written directly."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Membership.Role.MEMBER


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.LazyAttribute(lambda p: slugify(p.name))


def member_of(community, username=None, *, role=Membership.Role.MEMBER, **user_fields) -> User:
    """A new user holding ``role`` in ``community`` (the membership row only)."""
    if username is not None:
        user_fields["username"] = username
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, community=community, role=role)
    return user


def join_via_service(user, community, *, referral_code: str = "") -> Membership:
    """Join through the public service, so the engine's join side effects happen."""
    return membership.join_community(user=user, community=community, referral_code=referral_code)
