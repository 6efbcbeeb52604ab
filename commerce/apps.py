from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from accounts import privacy
        from commerce import receivers
        from commerce.privacy import PART
        from tenancy.models import Membership

        # Orders a newcomer placed before joining become theirs (tenancy offers no hook of its
        # own; a new Membership row is the join).
        post_save.connect(receivers.membership_saved, sender=Membership, dispatch_uid="commerce")
        privacy.register(PART)  # what commerce stores about a member: export and erasure
