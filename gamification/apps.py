from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "gamification"

    def ready(self):
        from accounts import privacy
        from gamification import receivers
        from gamification.privacy import PART
        from gamification.selectors import hidden_from_public
        from realtime.events import register_feed_opt_out

        # The engine owns the opt-out; the real-time layer asks before it shows anyone publicly.
        register_feed_opt_out(hidden_from_public)
        receivers.connect()  # accounts' profile_saved: welcome a completed profile
        privacy.register(PART)  # points, badges, kudos, board choices: export and erasure
