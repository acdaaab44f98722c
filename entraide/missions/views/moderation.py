"""Moderators' review of, and decisions on, missions waiting for moderation."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from entraide.core.pages import run_service as _run
from entraide.missions import selectors, services
from entraide.missions.views._common import _user
from entraide.organisations.permissions import can_moderate


@login_required
@require_GET
def review(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show a moderator the whole mission to read, whatever its status; nothing to change here."""
    mission = selectors.mission_by_public_id(public_id)
    if mission is None or not can_moderate(request.user, mission.organisation):
        raise Http404
    return render(
        request,
        "missions/review.html",
        {"mission": mission, "slots": selectors.mission_slots(mission)},
    )


@login_required
@require_POST
def moderate(request: HttpRequest, public_id: Any, action: str) -> HttpResponse:
    """Publish a submitted mission, or send it back to its draft with a reason."""
    mission = selectors.mission_by_public_id(public_id)
    if mission is None or not can_moderate(request.user, mission.organisation):
        raise Http404
    user = _user(request)
    if action == "publish":
        done = _run(request, None, lambda: services.mission_publish(mission=mission, actor=user))
        success = _("“%(title)s” is published.")
    elif action == "send-back":
        reason = request.POST.get("reason", "")
        done = _run(
            request,
            None,
            lambda: services.mission_send_back(mission=mission, actor=user, reason=reason),
        )
        success = _("“%(title)s” is back with its organisation, with your reason.")
    else:
        raise Http404
    if done is not None:
        messages.success(request, success % {"title": mission.title})
    return redirect("organisations:moderation")
