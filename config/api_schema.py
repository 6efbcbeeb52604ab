"""Keep the public OpenAPI schema to our own API (Wagtail's admin API lives under /cms/)."""

API_PREFIX = "/api/v1/"


def only_public_api(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
