"""One JSON shape for every API error: ``{"message": ..., "errors": {field: [...]}}``."""

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
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
