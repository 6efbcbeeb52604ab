from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Real-time recognition"

    def ready(self) -> None:
        from accounts import privacy
        from gamification import hooks
        from realtime import events
        from realtime.privacy import PART

        # The engine publishes what awards produced through this app, after commit.
        hooks.set_publisher(events)
        privacy.register(PART)  # what realtime stores about a member: export and erasure
