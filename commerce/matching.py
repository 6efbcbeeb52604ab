"""Customers to members: by e-mail address, within one community.

A customer is a member's when exactly one member of the community has that address as their
account e-mail (compared case-insensitively). The account e-mail is the one a member signed up
with; once sign-up confirms addresses, only confirmed ones should match (the one place to add
that condition is ``_members_with``).
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from commerce.models import Customer


def normalise(email: str) -> str:
    return email.strip().lower()


def _members_with(community):
    return User.objects.filter(memberships__community=community, is_active=True)


def member_for_email(community, email: str) -> User | None:
    if not email:
        return None
    found = list(_members_with(community).filter(email__iexact=normalise(email))[:2])
    return found[0] if len(found) == 1 else None


def customer_for(community, email: str) -> Customer | None:
    """The community's customer with ``email`` (made on first sight), matched if possible."""
    email = normalise(email)
    if not email:
        return None
    customer, _ = Customer.objects.get_or_create(community=community, email=email)
    if customer.member_id is None:
        member = member_for_email(community, email)
        if member is not None:
            customer.member, customer.matched_at = member, timezone.now()
            customer.save(update_fields=["member", "matched_at"])
    return customer


def match_all(community) -> int:
    """Match every unmatched customer of ``community`` in one UPDATE (after a bulk import)."""
    member = (
        _members_with(community)
        .annotate(address=Lower("email"))
        .filter(address=OuterRef("email"))
        .values("pk")[:1]
    )
    return Customer.objects.filter(
        community=community,
        member__isnull=True,
        email__in=_members_with(community).annotate(address=Lower("email")).values("address"),
    ).update(member=Subquery(member), matched_at=timezone.now())
