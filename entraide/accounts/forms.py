"""Forms of the accounts pages: they parse input; the services decide."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from entraide.accounts import services
from entraide.accounts.models import User
from entraide.core.vocabulary import Language


class SignUpForm(forms.Form):
    """Become a volunteer: account, home town, distance, languages and consent."""

    email = forms.EmailField(label=_("Email address"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of our emails"), choices=settings.LANGUAGES, initial="fr"
    )
    town = forms.CharField(
        label=_("Town where you live"),
        max_length=120,
        help_text=_("We use it to find requests near you; it is never shown to anyone."),
    )
    radius_km = forms.IntegerField(
        label=_("Distance you can travel (km)"), min_value=1, max_value=100, initial=3
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that entraide stores these details and emails me requests for help "
            "near my home. I can pause or delete my account at any time."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["town"].widget.attrs["autocomplete"] = "address-level2"

    def clean(self) -> dict[str, Any]:
        """Check that both passwords are the same."""
        cleaned = super().clean() or {}
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords are different."))
        return cleaned

    def save(self) -> User:
        """Create the account through the service; raise ValidationError on bad input."""
        data = self.cleaned_data
        return services.user_sign_up(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            language=data["language"],
            town=data["town"],
            radius_km=data["radius_km"],
            languages=data["languages"],
            consent=data["consent"],
        )


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


class VolunteerImportForm(forms.Form):
    """Upload a CSV of volunteers, or confirm the import of a file already checked."""

    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("UTF-8, comma or semicolon separated, one volunteer per line."),
    )
    # The checked file waits in the session (any size); the page only sends back its digest.
    digest = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, checked: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked = checked or {}

    def clean(self) -> dict[str, Any]:
        """Require a file, unless the file checked before comes back to be imported."""
        cleaned = super().clean() or {}
        digest = cleaned.get("digest")
        if cleaned.get("file"):
            return cleaned
        if not digest:
            self.add_error("file", _("Choose a CSV file."))
        elif self.checked.get("digest") != digest:
            self.add_error("file", _("Upload the file again: the checked copy has expired."))
        return cleaned

    def data_bytes(self) -> bytes:
        """Return the file's bytes (the uploaded file, or the checked copy)."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read()
        return self.checked["content"].encode("utf-8")


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
