"""Unsubscribe in one click and choose how often to hear from us, with no log-in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from entraide.accounts.models import User
from entraide.notifications.delivery import user_for_unsubscribe_token
from entraide.notifications.forms import NotificationModeForm
from entraide.notifications.services import notification_mode_set


def _volunteer_or_404(token: str) -> User:
    user = user_for_unsubscribe_token(token)
    if user is None or not hasattr(user, "volunteer_profile"):
        raise Http404(_("This link is not valid."))
    return user


# Mail clients send RFC 8058 one-click requests without our CSRF cookie; the signed token in
# the URL is what authorises the change, and the change only ever stops emails.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (our button or the mail client's one click) stops the emails."""
    user = _volunteer_or_404(token)
    if request.method == "POST":
        profile = notification_mode_set(user=user, mode="none")
        form = NotificationModeForm(initial={"mode": profile.notification_mode})
        return render(
            request,
            "notifications/unsubscribed.html",
            {"token": token, "form": form, "volunteer": user},
        )
    return render(request, "notifications/unsubscribe.html", {"token": token, "volunteer": user})


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """Let a volunteer choose immediate emails, a daily digest, or none."""
    user = _volunteer_or_404(token)
    form = NotificationModeForm(
        request.POST or None, initial={"mode": user.volunteer_profile.notification_mode}
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_mode_set(user=user, mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            form.add_error("mode", exc.messages)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:preferences", token=token)
    return render(
        request, "notifications/preferences.html", {"token": token, "form": form, "volunteer": user}
    )
