from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"

    def ready(self) -> None:
        from accounts import privacy
        from cms import signals
        from cms.privacy import PART

        signals.connect()
        privacy.register(PART)  # challenge progress in the data export
