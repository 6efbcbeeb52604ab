from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"

    def ready(self) -> None:
        from cms import progress, signals
        from gamification import hooks

        signals.connect()
        # Challenges follow the engine: progress on every award, recounts after corrections.
        hooks.on_award_applied(progress.on_award_applied)
        hooks.on_awards_corrected(progress.on_awards_corrected)
