"""Values every template needs."""

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static


def site(request: HttpRequest) -> dict:
    """Expose the site name and map settings to templates."""
    # Tiles win: the basemap is only fetched by maps that have nothing else to draw.
    basemap = static("core/basemap/basemap.json") if settings.MAP_BASEMAP else ""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "MAP_BASEMAP_URL": "" if settings.MAP_TILE_URL else basemap,
        # A map worth showing for placing a pin: tiles or the offline basemap.
        "MAP_HAS_BACKGROUND": bool(settings.MAP_TILE_URL or basemap),
    }
