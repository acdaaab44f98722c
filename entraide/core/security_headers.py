"""The security headers Django does not set itself: Content-Security-Policy, Permissions-Policy."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The browser features a page may use: the drop-off finder's "Use my location" only.
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"


def origin_of(url: str) -> str | None:
    """Return the scheme and host of an absolute URL (with {s} subdomains as a wildcard)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"


def content_security_policy() -> str:
    """Return the policy: every script and style from this site only, never inline.

    Map tiles, when a tile server is configured, and static files on another host are the
    only other origins, as images (tiles) or scripts and styles (static files).
    """
    tiles = origin_of(settings.MAP_TILE_URL)
    static = origin_of(settings.STATIC_URL)
    own = " ".join(["'self'", *([static] if static else [])])
    images = " ".join([own, "data:", "blob:", *([tiles] if tiles else [])])
    directives = [
        "default-src 'self'",
        f"script-src {own}",
        f"style-src {own}",
        f"img-src {images}",
        f"font-src {own}",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if settings.SECURE_SSL_REDIRECT or settings.SECURE_PROXY_SSL_HEADER:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and the Permissions-Policy to every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Pass the request on; give its answer the headers unless a view set its own."""
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
