"""What the engine does when lower apps announce something (their signals, connected in
``GamificationConfig.ready()``)."""

from accounts.signals import profile_saved
from gamification.welcomes import record_profile_completed


def welcome_completed_profile(sender, user, **kwargs) -> None:
    """A profile saved complete is welcomed once in each community (in the saving transaction)."""
    record_profile_completed(member=user)


def connect() -> None:
    profile_saved.connect(welcome_completed_profile, dispatch_uid="gamification_profile_saved")
