from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from accounts import lockout
from core.errors import TooSoon
from safety.throttles import SharedCacheThrottle

BAD_CREDENTIALS = "Unable to log in with provided credentials."


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


@extend_schema(
    summary="Exchange a username and password for an API token",
    tags=["auth"],
    request=TokenRequestSerializer,
    responses=TokenSerializer,
)
class TokenView(ObtainAuthToken):
    """``POST {username, password}`` -> ``{"token": ...}``.

    Send the token as ``Authorization: Token <token>``. The password is checked through
    ``authenticate`` with the Django request, so the log-in lockout (accounts/lockout.py) counts
    and refuses here exactly as on the log-in pages: a locked client gets 429 with Retry-After.
    """

    throttle_classes = [SharedCacheThrottle]
    throttle_scope = "api_token"
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        fields = TokenRequestSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        credentials = dict(fields.validated_data)
        django_request = request._request
        user = authenticate(django_request, **credentials)
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                wait = lockout.retry_after(django_request, credentials)
                raise TooSoon(lockout.locked_message(wait), retry_after=wait)
            raise serializers.ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
