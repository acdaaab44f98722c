"""Accounts pages: email verification, log-in, passwords and API keys (Django's views, our forms).

A volunteer signs up on the volunteers' pages (entraide.volunteers.views.signup).
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from entraide.accounts import forms, roles, services, tokens
from entraide.accounts.current import current_user
from entraide.accounts.models import ApiToken, User
from entraide.core.errors import DomainError, refusal_message
from entraide.core.forms import add_service_errors


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm an email address from the link we sent."""
    try:
        user = services.user_verify_email(token=token)
    except DomainError as exc:
        return render(request, "accounts/verify_failed.html", {"message": exc.message}, status=400)
    return render(request, "accounts/verified.html", {"verified_user": user})


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    """Send a new verification link to the logged-in person."""
    user = request.user
    if user.email_verified_at is not None:  # type: ignore[union-attr]
        messages.info(request, _("Your email address is already confirmed."))
    else:
        services.user_send_verification(user=user)  # type: ignore[arg-type]
        messages.success(
            request,
            _("We sent a new link to %(email)s.") % {"email": user.email},  # type: ignore[union-attr]
        )
    return redirect("volunteers:dashboard")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send the person to the home of their current role (the one chosen last, or the first)."""
    user = current_user(request)
    role = roles.current_role(user, roles.roles_of(user))
    if role is None:
        # Nobody gave this account a role yet: the public home says what one can do.
        return redirect("core:home")
    return redirect(role.home(user))


@login_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    """Record the role chosen in the header's switcher and open its home."""
    user = current_user(request)
    try:
        role = services.user_prefer_role(user=user, role=request.POST.get("role", ""))
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("accounts:home")
    return redirect(role.home(user))


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.ChoosePasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class InvitationView(auth_views.PasswordResetConfirmView):
    """An invited volunteer chooses their password, then is logged in."""

    template_name = "accounts/invitation.html"
    form_class = forms.ChoosePasswordForm
    token_generator = tokens.invitation_token_generator
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("volunteers:dashboard")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        """Welcome the volunteer once their password is set."""
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Welcome!"))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.ChangePasswordForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _signed_in(request: HttpRequest) -> User:
    """Return the signed-in user (the views below require one)."""
    assert isinstance(request.user, User)
    return request.user


# The session carries a new key from the POST to the page that shows it, once.
_NEW_KEY_SESSION = "accounts.new_api_key"


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API keys and create one; a new key is shown on the next page only."""
    user = _signed_in(request)
    form = forms.ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = services.api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, refusal_message(exc))
        else:
            # Redirect, so that reloading the page cannot create a second key.
            request.session[_NEW_KEY_SESSION] = key
            return redirect("accounts:api_tokens")
    new_key = request.session.pop(_NEW_KEY_SESSION, "") if request.method == "GET" else ""
    active = set(services.api_tokens_active(user).values_list("pk", flat=True))
    keys = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "new_key": new_key, "keys": keys, "active": active},
    )
    if new_key:
        # The key is in this page only: keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's keys."""
    user = _signed_in(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.api_token_revoke(token=token, actor=user)
    messages.success(request, _("The key “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:api_tokens")
