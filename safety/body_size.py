"""413 before a byte of an oversized request body is read.

Django reads a body only when a view touches ``request.POST``/``FILES``/``body``; it then checks
``DATA_UPLOAD_MAX_MEMORY_SIZE`` for form fields, but file parts stream to disk whatever their
size, so a 30 MB "photo" was read in full before the upload check refused it. This middleware
looks at the declared ``Content-Length`` first and refuses anything over
``settings.MAX_REQUEST_BODY_SIZE`` at once (the largest upload plus form overhead). A body that
lies about its length cannot get further: the server reads no more than the declared length.
Put nginx's ``client_max_body_size`` at the same value so most never reach the app.
"""

import json

from django.conf import settings
from django.http import HttpResponse

MESSAGE = "That request is too large. Files can be at most 10 MB."


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BODY_SIZE:
            return refusal(request)
        return self.get_response(request)


def refusal(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = json.dumps({"message": MESSAGE, "errors": {}})
        response = HttpResponse(body, status=413, content_type="application/json")
    else:
        response = HttpResponse(MESSAGE, status=413, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"
    return response
