from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "rewards"

    def ready(self) -> None:
        from accounts import privacy
        from rewards.privacy import PART

        privacy.register(PART)  # what rewards stores about a member: export and erasure
