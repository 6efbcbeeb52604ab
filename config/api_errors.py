"""One JSON shape for every API error: ``{"message": ..., "errors": {field: [...]}}``.

Application errors (``core.errors.AppError``) raised by services reach the client through this
handler with the status of their kind (400, 403, 404, 409, 429 with ``Retry-After``): no API
view maps them by hand.
"""

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import AppError, TooSoon


def app_error_response(exc: AppError) -> Response:
    errors = {exc.field: [exc.message]} if exc.field else {}
    response = Response({"message": exc.message, "errors": errors}, status=exc.status)
    if isinstance(exc, TooSoon):
        response["Retry-After"] = str(exc.retry_after)
    return response


def exception_handler(exc, context):
    if isinstance(exc, AppError):
        return app_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            errors = {key: value for key, value in data.items() if key != "non_field_errors"}
            general = data.get("non_field_errors")
            message = str(general[0]) if general else "Please correct the errors below."
        else:
            errors = {}
            message = str(data[0]) if data else "Invalid input."
        response.data = {"message": message, "errors": errors}
    else:
        detail = data.get("detail", data) if isinstance(data, dict) else data
        response.data = {"message": str(detail), "errors": {}}
    return response
