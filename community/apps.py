from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self) -> None:
        from accounts import privacy
        from community import search_index
        from community.privacy import PART

        privacy.register(PART)  # what community stores about a member: export and erasure
        search_index.connect()  # a post's change re-indexes its topic
