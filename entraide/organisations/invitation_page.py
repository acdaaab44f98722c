"""The page where an emailed invitation is accepted, shared by organisations and companies.

Both invitations keep InvitationFields (organisations.models) and are accepted the same way:
logged in, in one click; with an account under another address, by logging in; without an
account, by creating one on the page. Only what joining means differs, so each app passes
its look-up, its two services and what to do once the person has joined.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from entraide.accounts.current import current_user
from entraide.accounts.models import User
from entraide.core.errors import DomainError, refusal_message
from entraide.organisations.forms import NewAccountForm
from entraide.organisations.models import InvitationFields

Joined = TypeVar("Joined")  # what accepting creates: a membership, an employee


@dataclass(frozen=True)
class InvitationPage(Generic[Joined]):
    """How one kind of invitation is found, accepted, and welcomed."""

    template: str  # extends organisations/_invitation_accept.html
    url_name: str  # the page's own address, taking the token
    find: Callable[[str], InvitationFields | None]
    accept: Callable[..., Joined]  # accept(token=, user=)
    accept_with_new_account: Callable[..., Joined]  # (token=, first_name=, language=, password=)
    person: Callable[[Joined], User]  # who joined, logged in after creating their account
    joined: Callable[[HttpRequest, Joined], HttpResponse]
    # Why an invitation can no longer be accepted (shown with a 410), before any form.
    closed: Callable[[Any], str | None] = lambda invitation: None


def invitation_accept_page(
    request: HttpRequest, token: str, page: "InvitationPage[Joined]"
) -> HttpResponse:
    """Show an invitation and accept it, in one click or with a new account."""
    found = page.find(token)
    context: dict[str, Any] = {
        "invitation": found,
        "token": token,
        "action": reverse(page.url_name, args=[token]),
        "error_summary": [],
    }
    if found is None:
        context["problem"] = _(
            "This invitation link is not valid. Check that you copied all of it."
        )
        return render(request, page.template, context, status=404)
    closed = page.closed(found)
    if closed:
        context["problem"] = closed
        return render(request, page.template, context, status=410)
    context["has_account"] = User.objects.filter(email__iexact=found.email).exists()
    form = None
    if not request.user.is_authenticated and not context["has_account"]:
        form = NewAccountForm(
            request.POST or None, initial={"language": (get_language() or "fr")[:2]}
        )
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                return page.joined(request, page.accept(token=token, user=current_user(request)))
            if form is None:
                return redirect_to_login(request.get_full_path())
            if form.is_valid():
                joined = page.accept_with_new_account(token=token, **form.cleaned_data)
                login(
                    request,
                    page.person(joined),
                    backend="django.contrib.auth.backends.ModelBackend",
                )
                return page.joined(request, joined)
        except ValidationError as exc:
            if form is None:  # only the sign-up raises field errors
                raise
            form.add_service_errors(exc)
        except DomainError as exc:
            context["problem"] = refusal_message(exc)
            return render(request, page.template, context, status=400)
    if form is not None:
        form.describe_inputs()
        context.update(
            {"form": form, "error_summary": form.error_summary() if form.is_bound else []}
        )
    return render(
        request, page.template, context, status=400 if form is not None and form.errors else 200
    )
