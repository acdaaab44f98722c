"""Users log in with their email; roles are flags on the user."""

from typing import Any, ClassVar, TypeAlias

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

# Longest email address an account may have (the column is 254; people type far less).
MAX_EMAIL_LENGTH = 150


class EmailUserManager(UserManager["User"]):
    """Create users from an email address (the username is the email)."""

    def create_user(  # type: ignore[override]
        self, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        """Create a user whose username is their normalised email."""
        email = self.normalize_email(email or extra_fields.pop("username", ""))
        extra_fields.setdefault("username", email.lower())
        return super().create_user(email=email.lower(), password=password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        """Create a staff superuser from an email address."""
        email = self.normalize_email(email or extra_fields.pop("username", ""))
        extra_fields.setdefault("username", email.lower())
        return super().create_superuser(email=email.lower(), password=password, **extra_fields)


class User(AbstractUser):
    """A person with an account: volunteer, operator, moderator or staff."""

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Emails are sent in this language."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    is_operator = models.BooleanField(
        _("operator"), default=False, help_text=_("Answers the phone line and types requests.")
    )
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("Verifies organisations and content.")
    )
    # The name of a registered role (entraide.accounts.roles); kept across log-outs.
    preferred_role = models.CharField(
        _("preferred role"),
        max_length=40,
        blank=True,
        help_text=_("The role whose home opens after log-in, as last chosen in the header."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        """Return the first name (or the email's local part) to greet the person."""
        return self.first_name or self.email.split("@")[0]


class UserRoleChange(models.Model):
    """One change of a user's roles, kept forever so that access can be audited."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_changes",
        verbose_name=_("user"),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.before} → {self.after}"


class ApiToken(models.Model):
    """A personal key for the API; only a hash of it is stored, the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is for."))
    # The prefix finds the row; the hash proves the rest of the key.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# Whoever reads a page or calls the API: a user, or nobody logged in yet. Selectors and
# permission checks take a Viewer; services, which always act for someone, take a User.
Viewer: TypeAlias = User | AnonymousUser
