"""Webhook secrets and signatures.

A shop signs each webhook with an HMAC-SHA256 of the raw body under the community's secret, so
the secret must be readable here: it is stored encrypted (Fernet, with a key derived from
``SECRET_KEY``; keys from ``SECRET_KEY_FALLBACKS`` still decrypt, so rotating ``SECRET_KEY`` keeps
the secrets) and shown to the brand manager once, when set. Three header formats:

* generic: ``X-Signature: sha256=<hex digest>``;
* Shopify: ``X-Shopify-Hmac-Sha256: <base64 digest>``;
* WooCommerce: ``X-WC-Webhook-Signature: <base64 digest>``.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from commerce.models import ShopConnection

GENERIC_HEADER = "X-Signature"
SHOPIFY_HEADER = "X-Shopify-Hmac-Sha256"
WOOCOMMERCE_HEADER = "X-WC-Webhook-Signature"
GENERIC_PREFIX = "sha256="
MIN_SECRET_LENGTH = 16


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"commerce:{key}".encode()).digest()))
            for key in keys
        ]
    )


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_for(community) -> str | None:
    """The community's webhook secret in clear, or ``None`` when it has none."""
    token = (
        ShopConnection.objects.filter(community=community)
        .values_list("encrypted_secret", flat=True)
        .first()
    )
    return decrypt(token) if token else None


def digest(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def verify(source: str, headers, secret: str | None, body: bytes) -> bool:
    """Whether ``body`` carries a valid signature of ``source``'s format under ``secret``."""
    if not secret:
        return False
    expected = digest(secret, body)
    if source == "generic":
        given = headers.get(GENERIC_HEADER, "")
        if not given.startswith(GENERIC_PREFIX):
            return False
        return hmac.compare_digest(given[len(GENERIC_PREFIX) :].strip().lower(), expected.hex())
    header = SHOPIFY_HEADER if source == "shopify" else WOOCOMMERCE_HEADER
    given = headers.get(header, "").strip()
    return bool(given) and hmac.compare_digest(given, base64.b64encode(expected).decode())
