"""Links every page's navigation needs to reach the companies' pages."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from entraide.accounts.models import User, Viewer
from entraide.companies.models import Employee, WorkTimeRequest
from entraide.organisations.models import Membership, Organisation


def _links(user: Viewer | None) -> dict[str, Any]:
    """Return the employee's work-time link and the count of requests to decide (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    employments = Employee.objects.filter(user=OuterRef("pk"))
    administered = Membership.objects.filter(
        user=OuterRef(OuterRef("pk")),
        role=Membership.Role.ADMINISTRATOR,
        organisation__kind=Organisation.Kind.COMPANY,
    ).values("organisation_id")
    # Same people as selectors.requests_to_decide: the employee's manager and the company's HR.
    pending = (
        WorkTimeRequest.objects.filter(status=WorkTimeRequest.Status.PENDING)
        .filter(Q(employee__manager=OuterRef("pk")) | Q(employee__company_id__in=administered))
        .order_by()
        .values("status")
        .annotate(total=Count("pk"))
        .values("total")
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            employments_count=Coalesce(
                Subquery(
                    employments.order_by().values("user").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            first_company_slug=Subquery(
                employments.order_by("company__name", "company_id").values("company__slug")[:1]
            ),
            pending_count=Coalesce(Subquery(pending, output_field=IntegerField()), Value(0)),
        )
        .values("employments_count", "first_company_slug", "pending_count")
        .first()
    )
    if row is None:
        return {}
    links: dict[str, Any] = {"decisions_count": row["pending_count"]}
    if row["employments_count"]:
        # With several employers, the join page lists them all.
        if row["employments_count"] == 1:
            links["work_time_url"] = reverse("companies:employee", args=[row["first_company_slug"]])
        else:
            links["work_time_url"] = reverse("companies:join")
    if links["decisions_count"]:
        links["decisions_url"] = reverse("companies:decisions")
    return links


def company_links(request: HttpRequest) -> dict[str, Any]:
    """Expose `company_links` (work_time_url, decisions_url, decisions_count), queried lazily."""
    user = getattr(request, "user", None)
    return {"company_links": SimpleLazyObject(lambda: _links(user))}
