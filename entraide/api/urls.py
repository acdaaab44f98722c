"""API routes, the OpenAPI schema and its browsable docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from entraide.api import help_requests, operators, volunteers

app_name = "api"
# Public ids are matched as plain strings and parsed in the view, so that a malformed
# id answers a JSON 404 like an unknown one instead of Django's HTML page.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "help-requests/", help_requests.HelpRequestCreateView.as_view(), name="help_request_create"
    ),
    path(
        "help-requests/<str:public_id>/",
        help_requests.HelpRequestDetailView.as_view(),
        name="help_request_detail",
    ),
    path(
        "help-requests/<str:public_id>/take/",
        help_requests.TakeView.as_view(),
        name="help_request_take",
    ),
    path(
        "help-requests/<str:public_id>/release/",
        help_requests.ReleaseView.as_view(),
        name="help_request_release",
    ),
    path(
        "help-requests/<str:public_id>/done/",
        help_requests.DoneView.as_view(),
        name="help_request_done",
    ),
    path("track/<str:token>/", help_requests.TrackView.as_view(), name="track"),
    path("volunteer/profile/", volunteers.VolunteerProfileView.as_view(), name="volunteer_profile"),
    path(
        "volunteer/nearby-requests/",
        volunteers.NearbyRequestsView.as_view(),
        name="volunteer_nearby_requests",
    ),
    path(
        "volunteer/held-requests/",
        volunteers.HeldRequestsView.as_view(),
        name="volunteer_held_requests",
    ),
    path("operators/queue/", operators.QueueView.as_view(), name="operators_queue"),
    path("operators/lookup/", operators.LookupView.as_view(), name="operators_lookup"),
    path("operators/calls/", operators.CallLogView.as_view(), name="operators_call_log"),
    path(
        "operators/help-requests/<str:public_id>/assign/",
        operators.AssignView.as_view(),
        name="operators_assign",
    ),
    path(
        "operators/help-requests/<str:public_id>/cancel/",
        operators.CancelView.as_view(),
        name="operators_cancel",
    ),
    path(
        "operators/help-requests/<str:public_id>/confirm/",
        operators.ConfirmView.as_view(),
        name="operators_confirm",
    ),
]
