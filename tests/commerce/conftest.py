import pytest

from commerce import services
from tests.commerce.payloads import SECRET


@pytest.fixture
def shop(community, manager):
    services.set_webhook_secret(community=community, by=manager, secret=SECRET)
    return community


@pytest.fixture
def alice(make_member):
    """A member whose account e-mail is alice@example.com."""
    user = make_member("alice")
    user.email = "alice@example.com"
    user.save(update_fields=["email"])
    return user
