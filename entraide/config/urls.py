"""Top-level URL map: each domain app brings its own urls.py."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from entraide.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", include("entraide.api.urls")),
]

# The language switcher lives under the page's language prefix: set_language translates the
# page's address by resolving it in the active language, which must be the page's own (not
# the browser's Accept-Language), or the switch silently keeps the old language.
urlpatterns += i18n_patterns(
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("entraide.core.urls")),
    path("accounts/", include("entraide.accounts.urls")),
    path("volunteer/", include("entraide.volunteers.urls")),
    path("help/", include("entraide.help_requests.urls")),
    path("operators/", include("entraide.operators.urls")),
    path("notifications/", include("entraide.notifications.urls")),
    path("organisations/", include("entraide.organisations.urls")),
    path("missions/", include("entraide.missions.urls")),
    path("companies/", include("entraide.companies.urls")),
    path("backoffice/", admin.site.urls),
    prefix_default_language=True,
)
