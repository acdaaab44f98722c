"""Top-level URL map: each domain app brings its own urls.py."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from entraide.core import views as core_views

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = _("Back office")
# django-otp lists the secrets of devices in English only; staff reset a person's second
# factor from the users' list instead (accounts/admin.py), so its tables stay out of sight.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", include("entraide.api.urls")),
    # People type /admin/ out of habit: send them to the back office in their language.
    re_path(r"^admin/(?P<rest>.*)$", core_views.backoffice_redirect),
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
    path("goods/", include("entraide.goods.urls")),
    path("receipts/", include("entraide.receipts.urls")),
    path("dropoff/", include("entraide.dropoff.urls")),
    path("funds/", include("entraide.money.urls")),
    path("lodging/", include("entraide.lodging.urls")),
    path("programmes/", include("entraide.programmes.urls")),
    path("backoffice/", admin.site.urls),
    re_path(r"^admin/(?P<rest>.*)$", core_views.backoffice_redirect),
    prefix_default_language=True,
)
