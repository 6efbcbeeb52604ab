from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Real-time recognition"

    def ready(self) -> None:
        from accounts import privacy
        from realtime.privacy import PART

        privacy.register(PART)  # what realtime stores about a member: export and erasure
