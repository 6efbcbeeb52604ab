"""The one error model of the application.

Services raise these when they refuse a request; the message is written for the person who
asked. Every app's errors derive from ``AppError`` through one of the four kinds below, so
the API (``config.api_errors.exception_handler``) and the web views (``core.web``) map them
to HTTP the same way everywhere:

=============  ======  ============================================================
kind           status  meaning
=============  ======  ============================================================
``Invalid``    400     the request can't be done as asked (the root's default)
``NotAllowed`` 403     this person may not do this here
``NotFound``   404     the thing asked for does not exist (for this person)
``Conflict``   409     the request clashes with the current state (already done, taken)
``TooSoon``    429     a rate limit or pace rule; carries ``retry_after`` seconds
=============  ======  ============================================================
"""


class AppError(Exception):
    """A request the application refuses; ``str(error)`` is for the person who asked."""

    status = 400
    code = "invalid"
    #: The form or API field the error is about, when there is one.
    field: str | None = None

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field

    @property
    def message(self) -> str:
        return str(self)


class Invalid(AppError):
    status = 400
    code = "invalid"


class NotAllowed(AppError):
    status = 403
    code = "not_allowed"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class TooSoon(AppError):
    status = 429
    code = "too_soon"

    def __init__(self, message: str = "", *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = max(1, int(retry_after))
