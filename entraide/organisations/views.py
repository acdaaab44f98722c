"""Organisations' pages: register, my organisations, settings, invitations, moderation."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.accounts.current import current_user
from entraide.core.errors import DomainError, refusal_message, validation_messages
from entraide.organisations import (
    dashboard_sections,
    moderation_queues,
    permissions,
    selectors,
    services,
)
from entraide.organisations.forms import (
    InviteForm,
    OrganisationEditForm,
    OrganisationRegisterForm,
    ReasonForm,
    RoleForm,
)
from entraide.organisations.invitation_page import InvitationPage, invitation_accept_page
from entraide.organisations.models import Invitation, Membership, Organisation
from entraide.organisations.services import EDITABLE_FIELDS


def _render_form_page(
    request: HttpRequest, template: str, form: Any, context: dict[str, Any]
) -> HttpResponse:
    """Render a page whose form may carry errors (400 then, with the error summary)."""
    form.describe_inputs()
    summary = form.error_summary() if form.is_bound else []
    context.update({"form": form, "error_summary": summary})
    return render(request, template, context, status=400 if form.errors else 200)


def _administered(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the user administers it; 403 for anybody else."""
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), slug=slug)
    if not permissions.can_administer(request.user, organisation):
        raise PermissionDenied
    return organisation


def _moderated(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the user moderates its territory; 403 for anybody else."""
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), slug=slug)
    if not permissions.can_moderate(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register an organisation; it waits for a moderator of its territory."""
    form = OrganisationRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            organisation = services.organisation_register(
                user=current_user(request),
                **data,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you! %(name)s is registered. A moderator of its territory will "
                    "verify it; we will email you their decision."
                )
                % {"name": organisation.name},
            )
            return redirect("organisations:settings", slug=organisation.slug)
    return _render_form_page(request, "organisations/register.html", form, {})


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """List the organisations I belong to, with my role and their status, and my employers."""
    return render(
        request,
        "organisations/dashboard.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "sections": dashboard_sections.sections_for(current_user(request)),
        },
    )


def _initial(organisation: Organisation) -> dict[str, Any]:
    return {field: getattr(organisation, field) for field in EDITABLE_FIELDS}


def _settings_context(organisation: Organisation) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "members": selectors.members(organisation),
        "invitations": selectors.open_invitations(organisation),
        "roles": Membership.Role.choices,
        "now": timezone.now(),
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show and change the organisation's details, members and invitations (administrators)."""
    organisation = _administered(request, slug)
    form = OrganisationEditForm(request.POST or None, initial=_initial(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                actor=current_user(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("organisations:settings", slug=organisation.slug)
    context = _settings_context(organisation)
    context["invite_form"] = InviteForm()
    return _render_form_page(request, "organisations/settings.html", form, context)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Send an invitation by email."""
    organisation = _administered(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.member_invite(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=current_user(request),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("We emailed an invitation to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("organisations:settings", slug=organisation.slug)
    form.describe_inputs()
    context = _settings_context(organisation)
    context.update(
        {
            "form": OrganisationEditForm(initial=_initial(organisation)),
            "invite_form": form,
            "error_summary": form.error_summary(),
        }
    )
    return render(request, "organisations/settings.html", context, status=400)


def _membership(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=organisation,
    )


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Give a member another role."""
    organisation = _administered(request, slug)
    membership = _membership(organisation, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
    else:
        try:
            services.member_change_role(
                membership=membership,
                role=form.cleaned_data["role"],
                actor=current_user(request),
            )
        except DomainError as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(request, _("%(name)s's role is changed.") % {"name": membership.user})
    return redirect("organisations:settings", slug=organisation.slug)


@login_required
@require_POST
def set_contact(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show or hide a member as a public contact person."""
    organisation = _administered(request, slug)
    membership = _membership(organisation, pk)
    is_contact = request.POST.get("is_contact") == "1"
    services.member_set_contact(
        membership=membership,
        is_contact=is_contact,
        actor=current_user(request),
    )
    if is_contact:
        message = _("%(name)s is shown as a contact person.")
    else:
        message = _("%(name)s is no longer shown as a contact person.")
    messages.success(request, message % {"name": membership.user})
    return redirect("organisations:settings", slug=organisation.slug)


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a member, or leave the organisation when it is my own membership."""
    organisation = get_object_or_404(Organisation, slug=slug)
    membership = _membership(organisation, pk)
    leaving = membership.user_id == request.user.pk
    if not leaving and not permissions.can_administer(request.user, organisation):
        raise PermissionDenied
    try:
        services.member_remove(membership=membership, actor=current_user(request))
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
        if leaving and not permissions.can_administer(request.user, organisation):
            return redirect("organisations:dashboard")
        return redirect("organisations:settings", slug=organisation.slug)
    if leaving:
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return redirect("organisations:dashboard")
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
    return redirect("organisations:settings", slug=organisation.slug)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Cancel an invitation nobody accepted yet."""
    organisation = _administered(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        services.invitation_revoke(invitation=invitation, actor=current_user(request))
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("The invitation is cancelled."))
    return redirect("organisations:settings", slug=organisation.slug)


def _joined(request: HttpRequest, membership: Membership) -> HttpResponse:
    messages.success(
        request,
        _("Welcome to %(name)s! Your role: %(role)s.")
        % {"name": membership.organisation.name, "role": membership.get_role_display()},
    )
    return redirect("organisations:dashboard")


_INVITATION_PAGE: InvitationPage[Membership] = InvitationPage(
    template="organisations/invitation.html",
    url_name="organisations:invitation",
    find=selectors.invitation_for_token,
    accept=services.invitation_accept,
    accept_with_new_account=services.invitation_accept_with_new_account,
    person=lambda membership: membership.user,
    joined=_joined,
)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: logged in, in one click; without an account, by creating one."""
    return invitation_accept_page(request, token, _INVITATION_PAGE)


def _missions_block_exists() -> bool:
    """Return True once the missions app provides the block listing an organisation's missions."""
    try:
        get_template("missions/organisation_missions.html")
    except TemplateDoesNotExist:
        return False
    return True


@require_GET
def public(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's public page: only verified ones are public; members may preview."""
    organisation = selectors.public_organisation(slug)
    if organisation is None:
        raise Http404
    preview = not organisation.can_publish
    if preview and not (
        selectors.member_role(request.user, organisation) is not None
        or permissions.can_moderate(request.user, organisation)
    ):
        raise Http404
    return render(
        request,
        "organisations/public.html",
        {
            "organisation": organisation,
            "preview": preview,
            "missions": selectors.published_missions(organisation),
            "contacts": selectors.contact_people(organisation),
            "missions_block": _missions_block_exists(),
            "can_administer": permissions.can_administer(request.user, organisation),
        },
    )


@login_required
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    """The moderators' queue: organisations, then each domain's queue, oldest first."""
    if not permissions.is_moderator_anywhere(request.user):
        raise PermissionDenied
    sections = moderation_queues.sections_for(current_user(request))
    return render(
        request,
        "organisations/moderation.html",
        {
            "queue": selectors.moderation_queue(current_user(request)),
            "decided": selectors.moderation_decided(current_user(request)),
            "sections": sections,
            "queues": {section.queue.name: section.items for section in sections},
            "reason_form": ReasonForm(),
        },
    )


MODERATION_ACTIONS: dict[str, Callable[..., Organisation]] = {
    "verify": services.organisation_verify,
    "reject": services.organisation_reject,
    "suspend": services.organisation_suspend,
    "reinstate": services.organisation_reinstate,
}


@login_required
@require_POST
def moderate(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Apply a moderator's decision (verify, reject, suspend, reinstate)."""
    if action not in MODERATION_ACTIONS:
        raise Http404
    organisation = _moderated(request, slug)
    form = ReasonForm(request.POST)
    arguments: dict[str, Any] = {"organisation": organisation, "moderator": request.user}
    if action != "verify":
        # An over-long reason fails the form: pass it on so the service words the error.
        arguments["reason"] = (
            form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")
        )
    try:
        MODERATION_ACTIONS[action](**arguments)
    except ValidationError as exc:
        for message_list in validation_messages(exc).values():
            for message in message_list:
                messages.error(request, f"{organisation.name}: {message}")
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": organisation.name, "status": organisation.get_status_display()},
        )
    return redirect("organisations:moderation")
