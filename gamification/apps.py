from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "gamification"

    def ready(self):
        from gamification import hooks, referrals, welcomes

        # The engine's own subscribers run first: welcomes, then referral payouts.
        hooks.on_award_applied(welcomes.on_award_applied)
        hooks.on_award_applied(referrals.on_award_applied)
        hooks.on_awards_corrected(referrals.on_awards_corrected)
