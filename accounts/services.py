from django.db import IntegrityError, transaction

from accounts.forms import USERNAME_TAKEN
from accounts.models import User


class SignUpError(Exception):
    pass


def create_account(*, username: str, password: str, email: str = "") -> User:
    """Create a member account; a racing duplicate username becomes a clear error."""
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, email=email)
    except IntegrityError as exc:
        raise SignUpError(USERNAME_TAKEN) from exc
