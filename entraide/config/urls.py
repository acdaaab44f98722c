"""Top-level URL map: each domain app brings its own urls.py."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from entraide.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("entraide.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("entraide.core.urls")),
    path("accounts/", include("entraide.accounts.urls")),
    path("volunteer/", include("entraide.volunteers.urls")),
    path("help/", include("entraide.help_requests.urls")),
    path("operators/", include("entraide.operators.urls")),
    path("notifications/", include("entraide.notifications.urls")),
    path("backoffice/", admin.site.urls),
    prefix_default_language=True,
)
