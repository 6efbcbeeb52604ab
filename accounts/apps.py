from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts import privacy

        privacy.register(privacy.PART)  # the account itself: profile.json, privacy.json, avatar/
