"""Back office for users: roles go through user_set_roles, new users through user_invite.

The CSV import of volunteers is on the volunteer profiles' admin (linked from the users list).
"""

from typing import Any

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from entraide.accounts import services
from entraide.accounts.current import current_user
from entraide.accounts.models import ApiToken, User, UserRoleChange
from entraide.accounts.services import two_factor


class UserChangeAdminForm(UserChangeForm):
    """Edit a user; refuse a change of one's own roles that would lock one out."""

    actor: User | None = None

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        """Stop staff from removing their own back-office access."""
        cleaned = super().clean() or {}
        actor = self.actor
        if (
            actor is not None
            and self.instance.pk == actor.pk
            and "is_staff" in cleaned
            and not cleaned["is_staff"]
        ):
            self.add_error("is_staff", _("You cannot remove your own access to the back office."))
        return cleaned


class UserInviteAdminForm(forms.ModelForm):
    """Create an account without a password; the person gets a link to choose one."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "language", "phone"]

    def clean_email(self) -> str:
        """Return the address in lower case, so that the uniqueness check ignores case."""
        return self.cleaned_data["email"].strip().lower()


class UserRoleChangeInline(admin.TabularInline):
    model = UserRoleChange
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "before", "after"]
    readonly_fields = ["created_at", "actor", "before", "after"]
    verbose_name_plural = _("role history")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserInviteAdminForm
    inlines = [UserRoleChangeInline]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "language",
        "is_verified",
        "is_operator",
        "is_moderator",
        "is_staff",
        "is_active",
    ]
    list_filter = ["is_operator", "is_moderator", "is_staff", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    ordering = ["email"]
    readonly_fields = ["email_verified_at", "last_login", "date_joined"]
    actions = ["send_invitation", "reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (
            _("Roles"),
            {"fields": ("is_active", "is_operator", "is_moderator", "is_staff", "is_superuser")},
        ),
        (_("Permissions"), {"classes": ("collapse",), "fields": ("groups", "user_permissions")}),
        (_("Dates"), {"fields": ("email_verified_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "description": _(
                    "The person receives an email with a link to choose their password."
                ),
                "fields": ("email", "first_name", "last_name", "language", "phone"),
            },
        ),
    )

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list:
        """Show the role history on existing users only (a new user has none)."""
        return super().get_inline_instances(request, obj) if obj is not None else []

    @admin.display(boolean=True, description=_("email verified"), ordering="email_verified_at")
    def is_verified(self, obj: User) -> bool:
        return obj.email_verified_at is not None

    def get_form(  # type: ignore[override]
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # Each call builds a new form class, so this never leaks to another request.
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Invite new users; change roles through the service so that they are recorded."""
        if not change:
            created = services.user_invite(
                email=obj.email,
                first_name=obj.first_name,
                last_name=obj.last_name,
                language=obj.language,
                phone=obj.phone,
                actor=current_user(request),
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        roles = {name: getattr(obj, name) for name in services.ROLE_FIELDS}
        stored = User.objects.get(pk=obj.pk)
        for name in services.ROLE_FIELDS:
            setattr(obj, name, getattr(stored, name))
        super().save_model(request, obj, form, change)
        services.user_set_roles(user=obj, actor=request.user, **roles)  # type: ignore[arg-type]

    @admin.action(description=_("Send the invitation to choose a password again"))
    def send_invitation(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = 0
        for user in queryset.filter(is_active=True):
            if not user.has_usable_password():
                services.user_send_invitation(user=user)
                sent += 1
        self.message_user(
            request,
            _("%(count)s invitation(s) sent; people who already have a password were skipped.")
            % {"count": sent},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-factor log-in (a lost phone): they set it up again"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Remove the chosen people's authenticator apps and recovery codes."""
        people = list(queryset)
        for user in people:
            two_factor.two_factor_reset(user=user)
        self.message_user(
            request,
            ngettext(
                "%(count)d person will set up two-factor log-in again at their next log-in.",
                "%(count)d people will set up two-factor log-in again at their next log-in.",
                len(people),
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every API key (never the key itself), with an action to revoke keys at once."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Keys are created by their owner, who alone sees the key."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        """A key is never edited: it is revoked."""
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        """Those who may change keys may revoke them."""
        return request.user.has_perm("accounts.change_apitoken")

    @admin.action(description=_("Revoke the selected keys"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        """Revoke the chosen keys through the accounts service."""
        for token in queryset:
            services.api_token_revoke(token=token, actor=current_user(request))
        self.message_user(request, _("The selected keys no longer work."), messages.SUCCESS)


# django-axes names its table and columns in English only: naming them here puts them in our
# catalogue (makemessages reads only our tree).
THIRD_PARTY_LABELS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Failed Logins"),
)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """The email addresses with failed log-ins, the locked ones first; staff lift a lock."""

    list_display = ["username", "failures_since_start", "locked", "attempt_time", "ip_address"]
    search_fields = ["username", "ip_address"]
    ordering = ["-failures_since_start", "-attempt_time"]
    actions = ["unlock"]
    readonly_fields = [
        "username",
        "failures_since_start",
        "attempt_time",
        "ip_address",
        "user_agent",
        "path_info",
    ]
    exclude = ["get_data", "post_data", "http_accept"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Attempts are recorded by the log-in forms, never typed in."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessAttempt | None = None) -> bool:
        """An attempt is a fact: it is read, or forgotten by lifting the lock."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessAttempt | None = None) -> bool:
        """Only the action below forgets attempts, through the accounts service."""
        return False

    @admin.display(boolean=True, description=_("locked"))
    def locked(self, attempt: AccessAttempt) -> bool:
        """Return True while this address is refused."""
        return attempt.failures_since_start >= settings.LOGIN_FAILURE_LIMIT

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        """Those who may change users may let them log in again."""
        return request.user.has_perm("accounts.change_user")

    @admin.action(description=_("Lift the lock on the selected addresses"), permissions=["unlock"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        """Forget the failed log-ins of the chosen addresses through the accounts service."""
        emails = sorted({a.username for a in queryset if a.username})
        for email in emails:
            services.login_unlock(email=email)
        self.message_user(
            request,
            ngettext(
                "%(count)d address can log in again.",
                "%(count)d addresses can log in again.",
                len(emails),
            )
            % {"count": len(emails)},
            messages.SUCCESS,
        )
