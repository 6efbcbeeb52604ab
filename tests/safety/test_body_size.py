"""Bodies over the upload limit are refused from their declared length, before they are read."""

import io
import json

from django.test import RequestFactory

from safety.body_size import RequestBodyLimitMiddleware


class Untouchable(io.RawIOBase):
    """A request stream that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def middleware_answer(path, length, settings):
    settings.MAX_REQUEST_BODY_SIZE = 1000
    reached = []
    request = RequestFactory().post(path, data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(length)
    request.META["wsgi.input"] = Untouchable()
    request._stream = Untouchable()
    response = RequestBodyLimitMiddleware(lambda r: reached.append(r) or "passed")(request)
    return response, reached


def test_an_oversized_upload_is_refused_before_it_is_read(settings):
    response, reached = middleware_answer("/c/roasters/photos/new/", 30 * 1024 * 1024, settings)
    assert response.status_code == 413 and not reached
    assert "too large" in response.content.decode()


def test_an_oversized_api_request_is_a_json_413(settings):
    response, reached = middleware_answer("/api/v1/photos/", 5000, settings)
    assert response.status_code == 413 and not reached
    body = json.loads(response.content)
    assert body["message"] and body["errors"] == {}


def test_a_body_within_the_limit_passes(settings):
    response, reached = middleware_answer("/c/roasters/photos/new/", 999, settings)
    assert response == "passed" and reached


def test_the_real_stack_refuses_early(client, settings):
    settings.MAX_REQUEST_BODY_SIZE = 100
    response = client.post("/accounts/login/", {"username": "x" * 200, "password": "y"})
    assert response.status_code == 413
