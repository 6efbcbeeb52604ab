from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"

    def ready(self) -> None:
        from accounts import privacy
        from cms import progress, signals
        from cms.privacy import PART
        from gamification import hooks

        signals.connect()
        # Challenges follow the engine: progress on every award, recounts after corrections.
        hooks.on_award_applied(progress.on_award_applied)
        hooks.on_awards_corrected(progress.on_awards_corrected)
        privacy.register(PART)  # challenge progress in the data export
