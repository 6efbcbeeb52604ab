from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "gamification"

    def ready(self):
        from accounts import privacy
        from gamification import hooks, receivers, referrals, welcomes
        from gamification.privacy import PART

        # The engine's own subscribers run first: welcomes, then referral payouts.
        hooks.on_award_applied(welcomes.on_award_applied)
        hooks.on_award_applied(referrals.on_award_applied)
        hooks.on_awards_corrected(referrals.on_awards_corrected)
        receivers.connect()  # accounts' profile_saved: welcome a completed profile
        privacy.register(PART)  # points, badges, kudos, board choices: export and erasure
