"""Content Security Policy for the member-facing site.

No inline scripts anywhere on our pages: every script is a file under /static/. Wagtail's admin
(/cms/) and Django's admin ship their own inline code and keep their own protections, so the
policy skips them.
"""

from urllib.parse import urlsplit

from django.conf import settings

EXEMPT_PREFIXES = ("/cms/", "/django-admin/")


def media_source() -> str:
    """The origin of ``MEDIA_URL`` when media lives on another domain, else nothing."""
    parts = urlsplit(settings.MEDIA_URL)
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


def build_policy() -> str:
    media = media_source()
    img_src = " ".join(filter(None, ["'self'", "data:", "blob:", media]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",
            f"img-src {img_src}",
            "font-src 'self'",
            "connect-src 'self' ws: wss:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(EXEMPT_PREFIXES):
            response.setdefault("Content-Security-Policy", self.policy)
        return response
