"""Expected denials are one log line, not a traceback.

Django's ``django.request`` logger writes every ``PermissionDenied`` (403) and ``Http404`` with
the exception's traceback attached. Those are the access policy working, not bugs: this filter
(on the console handler, ``settings.LOGGING``) keeps the line ("Forbidden (Permission denied):
/path") and drops the traceback. Other errors keep theirs.
"""

import logging

EXPECTED = frozenset({403, 404})


class ExpectedDenialFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in EXPECTED and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
