"""Second-factor pages: set up an authenticator app, confirm a log-in, recovery codes."""

import io
from base64 import b32encode
from binascii import unhexlify

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.qr import write_qrcode_image

from entraide.accounts.forms import TwoFactorCodeForm
from entraide.accounts.models import User
from entraide.accounts.services import two_factor as services
from entraide.accounts.two_factor import is_verified
from entraide.core.forms import add_service_errors

# New recovery codes go from the POST to the page that shows them, once.
_NEW_CODES_SESSION = "accounts.new_recovery_codes"


def _user(request: HttpRequest) -> User:
    """Return the signed-in user (the views below require one)."""
    assert isinstance(request.user, User)
    return request.user


def _next(request: HttpRequest) -> str:
    """Return where to go once verified: the page asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Confirm this log-in with a code, or set up the authenticator app the first time."""
    user = _user(request)
    confirmed = services.totp_confirmed(user)
    form = TwoFactorCodeForm(request.POST or None)
    if confirmed is None:
        device = services.totp_start(user=user)
        if request.method == "POST" and form.is_valid():
            try:
                device, codes = services.totp_confirm(user=user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                otp_login(request, device)
                request.session[_NEW_CODES_SESSION] = codes
                messages.success(request, _("Two-factor log-in is on."))
                recovery = reverse("accounts:two_factor_recovery")
                return redirect(f"{recovery}?{urlencode({'next': _next(request)})}")
        return render(
            request,
            "accounts/two_factor_setup.html",
            {"form": form, "secret": _spaced(device.key), "next": _next(request)},
        )
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_check(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp_login(request, device)
            if device.persistent_id != confirmed.persistent_id:
                messages.warning(
                    request,
                    _(
                        "You used a recovery code: it will not work again. "
                        "Make new ones if few are left."
                    ),
                )
            return redirect(_next(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request)},
    )


def _spaced(hex_key: str) -> str:
    """Return the secret in base32, in groups of four, to type into an app by hand."""
    text = b32encode(unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_GET
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up, as an SVG image (never cached)."""
    user = _user(request)
    if services.totp_confirmed(user) is not None:
        return HttpResponse(status=404)
    out = io.BytesIO()
    write_qrcode_image(services.totp_start(user=user).config_url, out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """Show new recovery codes once; make new ones (the old ones stop working)."""
    user = _user(request)
    if not is_verified(user):
        return redirect("accounts:two_factor")
    if request.method == "POST":
        try:
            request.session[_NEW_CODES_SESSION] = services.recovery_codes_renew(user=user)
        except ValidationError:
            return redirect("accounts:two_factor")
        return redirect("accounts:two_factor_recovery")
    codes = request.session.pop(_NEW_CODES_SESSION, [])
    response = render(
        request,
        "accounts/two_factor_recovery.html",
        {"codes": codes, "next": _next(request)},
    )
    response["Cache-Control"] = "no-store"
    return response
