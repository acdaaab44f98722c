"""Unsubscribe in one click and choose how often to hear from us, with no log-in."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from entraide.notifications import registry
from entraide.notifications.delivery import user_for_unsubscribe_token
from entraide.notifications.forms import NotificationModeForm

if TYPE_CHECKING:
    from entraide.accounts.models import User


def _subscriber_or_404(token: str) -> tuple["User", registry.Preferences]:
    """Return the token's user and where their choice is kept; 404 when they have none."""
    user = user_for_unsubscribe_token(token)
    chosen = registry.preferences()
    if user is None or chosen is None or chosen.mode_of(user) is None:
        raise Http404(_("This link is not valid."))
    return user, chosen


# Mail clients send RFC 8058 one-click requests without our CSRF cookie; the signed token in
# the URL is what authorises the change, and the change only ever stops emails.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (our button or the mail client's one click) stops the emails."""
    user, chosen = _subscriber_or_404(token)
    if request.method == "POST":
        chosen.set_mode(user=user, mode=registry.NONE)
        form = NotificationModeForm(initial={"mode": registry.NONE}, preferences=chosen)
        return render(
            request,
            "notifications/unsubscribed.html",
            {"token": token, "form": form, "subscriber": user},
        )
    return render(request, "notifications/unsubscribe.html", {"token": token, "subscriber": user})


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """Let a recipient choose immediate emails, a daily digest, or none."""
    user, chosen = _subscriber_or_404(token)
    form = NotificationModeForm(
        request.POST or None, initial={"mode": chosen.mode_of(user)}, preferences=chosen
    )
    if request.method == "POST" and form.is_valid():
        try:
            chosen.set_mode(user=user, mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            form.add_error("mode", exc.messages)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:preferences", token=token)
    return render(
        request,
        "notifications/preferences.html",
        {"token": token, "form": form, "subscriber": user},
    )
