"""Forms of the accounts pages: they parse input; the services decide."""

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from entraide.accounts import services
from entraide.accounts.models import User


class EmailAuthenticationForm(auth_forms.AuthenticationForm):
    """Log in with an email address, whatever its capitalisation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget.attrs["autocomplete"] = "email"

    def clean_username(self) -> str:
        """Return the address in lower case, as it is stored."""
        return self.cleaned_data["username"].strip().lower()


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Ask for a link to choose a new password; it is sent in the person's language."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str):  # type: ignore[no-untyped-def]
        """Return the active accounts with this address, invited ones included."""
        # Django skips accounts without a usable password; ours are invited volunteers who
        # lost their invitation and must be able to ask for a new link.
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def save(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Queue the email through the notification outbox (never says whether it exists)."""
        for user in self.get_users(self.cleaned_data["email"]):
            services.user_send_password_reset(user=user)


class ChoosePasswordForm(auth_forms.SetPasswordForm):
    """Choose a password from an emailed link (reset or invitation)."""

    def save(self, commit: bool = True) -> User:  # type: ignore[override]
        """Set the password through the service, which also marks the address verified."""
        return services.user_set_password(
            user=self.user, password=self.cleaned_data["new_password1"], from_emailed_link=True
        )


class ChangePasswordForm(auth_forms.PasswordChangeForm):
    """Change one's password while logged in."""

    def save(self, commit: bool = True) -> User:  # type: ignore[override]
        """Set the password through the service."""
        return services.user_set_password(
            user=self.user, password=self.cleaned_data["new_password1"], from_emailed_link=False
        )


class ApiTokenForm(forms.Form):
    """Name a new API key and choose how long it works."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, for example “our volunteers spreadsheet”."),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Works for"),
        choices=[
            ("30", _("30 days")),
            ("90", _("90 days")),
            ("365", _("one year")),
            ("", _("no end date (revoke it yourself)")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )


class TwoFactorCodeForm(forms.Form):
    """The six digits of an authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows now, or one recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )
