"""Hooks the accounts app offers to the apps above it, which subscribe in ``AppConfig.ready()``.

``accounts`` sits near the bottom of the layers and imports nothing from the apps built on it;
when something those apps care about happens to an account, it sends a signal instead.
"""

from django.dispatch import Signal

#: A member saved their profile (display name, bio, avatar): ``sender`` is the ``User`` class,
#: ``user`` the saved row. Sent by ``accounts.services.update_profile`` *inside* its transaction,
#: with the row locked: receivers share it, so an exception from one rolls the save back, and
#: whatever they defer with ``transaction.on_commit`` runs only once it commits. (Gamification
#: welcomes a completed profile here.)
profile_saved = Signal()
