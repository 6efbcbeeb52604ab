from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = "Communities and memberships"

    def ready(self) -> None:
        from accounts import privacy
        from tenancy.privacy import PART

        privacy.register(PART)  # what tenancy stores about a member: export and erasure
