from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self) -> None:
        from accounts import privacy
        from community.privacy import PART

        privacy.register(PART)  # what community stores about a member: export and erasure
