from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Real-time recognition"

    def ready(self) -> None:
        from gamification import hooks
        from realtime import events

        # The engine publishes what awards produced through this app, after commit.
        hooks.set_publisher(events)
