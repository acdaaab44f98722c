"""API routes, the OpenAPI schema and its browsable docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from entraide.api import (
    dropoff,
    goods,
    goods_photos,
    goods_rounds,
    help_requests,
    missions,
    money,
    operators,
    organisations,
    receipts,
    volunteers,
)

app_name = "api"
# Public ids are matched as plain strings and parsed in the view, so that a malformed
# id answers a JSON 404 like an unknown one instead of Django's HTML page.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP forbids inline scripts.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
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
    path("dropoff/nearest/", dropoff.NearestView.as_view(), name="dropoff_nearest"),
    path("dropoff/catalogue/", dropoff.CatalogueView.as_view(), name="dropoff_catalogue"),
    path("dropoff/collection-slots/", dropoff.SlotsView.as_view(), name="dropoff_slots"),
    path("dropoff/collections/", dropoff.BookingCreateView.as_view(), name="dropoff_book"),
    path(
        "dropoff/collections/<str:token>/cancel/",
        dropoff.BookingCancelView.as_view(),
        name="dropoff_cancel",
    ),
    path("dropoff/points/", dropoff.PointListView.as_view(), name="dropoff_point_list"),
    path(
        "dropoff/points/<str:point_id>/",
        dropoff.PointDetailView.as_view(),
        name="dropoff_point_detail",
    ),
    path("goods/categories/", goods.CategoryListView.as_view(), name="goods_category_list"),
    path("goods/lots/", goods.LotListView.as_view(), name="goods_lots"),
    path("goods/lots/<str:lot_id>/cancel/", goods.LotCancelView.as_view(), name="goods_lot_cancel"),
    path(
        "goods/lots/<str:lot_id>/photos/",
        goods_photos.LotPhotoListView.as_view(),
        name="goods_lot_photos",
    ),
    path(
        "goods/lots/<str:lot_id>/photos/<str:photo_id>/",
        goods_photos.LotPhotoDetailView.as_view(),
        name="goods_lot_photo",
    ),
    path("goods/needs/", goods.NeedListView.as_view(), name="goods_needs"),
    path("goods/offers/", goods.OfferListView.as_view(), name="goods_offer_list"),
    path(
        "goods/offers/<str:offer_id>/accept/",
        goods.OfferAcceptView.as_view(),
        name="goods_offer_accept",
    ),
    path(
        "goods/offers/<str:offer_id>/decline/",
        goods.OfferDeclineView.as_view(),
        name="goods_offer_decline",
    ),
    path("goods/pickups/", goods.PickupPlanView.as_view(), name="goods_pickup_plan"),
    path(
        "goods/pickups/<str:pickup_id>/record/",
        goods.PickupRecordView.as_view(),
        name="goods_pickup_record",
    ),
    path(
        "goods/pickups/<str:pickup_id>/receipt/",
        goods.PickupReceiptView.as_view(),
        name="goods_pickup_confirm_receipt",
    ),
    path("goods/rounds/", goods_rounds.RoundListView.as_view(), name="goods_rounds"),
    path(
        "goods/rounds/<str:round_id>/",
        goods_rounds.RoundDetailView.as_view(),
        name="goods_round_detail",
    ),
    path(
        "goods/rounds/<str:round_id>/replan/",
        goods_rounds.RoundReplanView.as_view(),
        name="goods_round_replan",
    ),
    path(
        "goods/rounds/<str:round_id>/driver/",
        goods_rounds.RoundDriverView.as_view(),
        name="goods_round_assign_driver",
    ),
    path(
        "goods/rounds/<str:round_id>/cancel/",
        goods_rounds.RoundCancelView.as_view(),
        name="goods_round_cancel",
    ),
    path("goods/totals/", goods.TotalsView.as_view(), name="goods_totals"),
    path("funds/", money.FundListView.as_view(), name="funds_list"),
    path("funds/<str:slug>/", money.FundDetailView.as_view(), name="funds_detail"),
    path("funds/<str:slug>/movements/", money.FundMovementsView.as_view(), name="funds_movements"),
    path(
        "funds/<str:slug>/contributions/",
        money.FundContributionsView.as_view(),
        name="funds_contributions",
    ),
    path("receipts/", receipts.ReceiptListView.as_view(), name="receipts_list"),
    path(
        "receipts/<str:receipt_id>/cancel/",
        receipts.ReceiptCancelView.as_view(),
        name="receipts_cancel",
    ),
    path("receipts/<str:receipt_id>/pdf/", receipts.ReceiptPdfView.as_view(), name="receipts_pdf"),
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
    path("territories/", organisations.TerritoryListView.as_view(), name="territory_list"),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisations/<str:slug>/",
        organisations.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<str:slug>/verify/",
        organisations.VerifyView.as_view(),
        name="organisation_verify",
    ),
    path(
        "organisations/<str:slug>/reject/",
        organisations.RejectView.as_view(),
        name="organisation_reject",
    ),
    path(
        "organisations/<str:slug>/suspend/",
        organisations.SuspendView.as_view(),
        name="organisation_suspend",
    ),
    path(
        "organisations/<str:slug>/reinstate/",
        organisations.ReinstateView.as_view(),
        name="organisation_reinstate",
    ),
    path(
        "organisations/<str:slug>/missions/",
        missions.OrganisationMissionsView.as_view(),
        name="organisation_missions",
    ),
    path("missions/", missions.MissionCatalogueView.as_view(), name="mission_list"),
    path(
        "missions/slots/<str:slot_id>/apply/",
        missions.ApplyView.as_view(),
        name="mission_slot_apply",
    ),
    path("missions/<str:public_id>/", missions.MissionDetailView.as_view(), name="mission_detail"),
    path(
        "missions/<str:public_id>/slots/",
        missions.SlotCreateView.as_view(),
        name="mission_slot_create",
    ),
    path("missions/<str:public_id>/submit/", missions.SubmitView.as_view(), name="mission_submit"),
    path("missions/<str:public_id>/close/", missions.CloseView.as_view(), name="mission_close"),
    path(
        "missions/<str:public_id>/publish/", missions.PublishView.as_view(), name="mission_publish"
    ),
    path(
        "missions/<str:public_id>/send-back/",
        missions.SendBackView.as_view(),
        name="mission_send_back",
    ),
    path(
        "moderation/missions/",
        missions.ModerationMissionsView.as_view(),
        name="moderation_missions",
    ),
    path("missions/<str:public_id>/cancel/", missions.CancelView.as_view(), name="mission_cancel"),
    path(
        "missions/<str:public_id>/applications/",
        missions.MissionApplicationsView.as_view(),
        name="mission_applications",
    ),
    path("me/applications/", missions.MyApplicationsView.as_view(), name="my_applications"),
    path(
        "applications/<str:application_id>/withdraw/",
        missions.WithdrawView.as_view(),
        name="application_withdraw",
    ),
    path(
        "applications/<str:application_id>/accept/",
        missions.AcceptView.as_view(),
        name="application_accept",
    ),
    path(
        "applications/<str:application_id>/decline/",
        missions.DeclineView.as_view(),
        name="application_decline",
    ),
    path(
        "applications/<str:application_id>/participation/",
        missions.ParticipationView.as_view(),
        name="application_participation",
    ),
]
