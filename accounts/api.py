from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken

from safety.throttles import SharedCacheThrottle


@extend_schema(summary="Exchange a username and password for an API token", tags=["auth"])
class TokenView(ObtainAuthToken):
    """``POST {username, password}`` -> ``{"token": ...}``.

    Send the token as ``Authorization: Token <token>``.
    """

    throttle_classes = [SharedCacheThrottle]
    throttle_scope = "api_token"
