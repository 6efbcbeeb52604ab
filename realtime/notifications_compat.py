"""Make django-notifications-hq 1.8.3 load on Django 5.2.

The release declares ``Meta.index_together = ("recipient", "unread")`` on its abstract model.
Django 5.1 removed that option, so importing ``notifications.models`` raises
``TypeError: 'class Meta' got invalid attribute(s): index_together``.

``install()`` lets ``Meta`` carry ``index_together`` again, for that one app only, as an inert
attribute:

* Django's ``Options`` accepts the name again (it is appended to ``DEFAULT_NAMES``);
* as soon as a model class is prepared, the attribute is dropped from its options. Migration
  state built from the live model therefore never sees it, which is what trips the autodetector
  otherwise (``ModelState.from_model`` would copy the un-normalised tuple and crash with
  ``KeyError: 'r'``). The library's migrations and its model then agree, and
  ``makemigrations --check`` is clean;
* the library's own migration 0008 (``AlterIndexTogether``, still supported for historical
  migrations) creates the ``(recipient, unread)`` index the unread count relies on;
* any other app that declares ``index_together`` still fails, as Django would make it.

Everything else is the library as shipped: ``notify.send``, ``user.notifications.unread()``,
``mark_all_as_read()`` and its views. ``config.settings`` calls ``install()`` before the app
registry loads models; it is idempotent. Tests: ``tests/realtime/test_notifications_compat.py``.
"""

from django.db.models import options
from django.db.models.signals import class_prepared

LEGACY_META_OPTION = "index_together"
PATCHED_APP = "notifications"


def _drop_legacy_option(sender, **kwargs) -> None:
    meta = sender._meta
    if LEGACY_META_OPTION not in meta.original_attrs:
        return
    if meta.app_label != PATCHED_APP:
        raise TypeError(
            f"{meta.label}: 'class Meta' got invalid attribute(s): {LEGACY_META_OPTION} "
            "(removed in Django 5.1; use Meta.indexes)"
        )
    del meta.original_attrs[LEGACY_META_OPTION]
    meta.__dict__.pop(LEGACY_META_OPTION, None)


def install() -> None:
    """Accept the legacy option for django-notifications-hq (idempotent)."""
    if LEGACY_META_OPTION not in options.DEFAULT_NAMES:
        options.DEFAULT_NAMES = (*options.DEFAULT_NAMES, LEGACY_META_OPTION)
    class_prepared.connect(_drop_legacy_option, dispatch_uid="notifications_compat")
