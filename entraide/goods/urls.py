"""Routes of the goods pages."""

from django.urls import path

from entraide.goods import photo_views, round_views, views

app_name = "goods"

urlpatterns = [
    path("", views.home, name="home"),
    path("lots/new/", views.lot_create, name="lot_create_mine"),
    path("lots/", views.my_lots, name="my_lots"),
    path("lots/<int:pk>/", photo_views.lot_detail, name="lot"),
    path("photos/<int:pk>/", photo_views.lot_photo, name="lot_photo"),
    path("photos/<int:pk>/small/", photo_views.lot_photo_thumbnail, name="lot_photo_thumbnail"),
    path("territories/", views.territory_dashboard, name="territory_dashboard"),
    path("pickups/<int:pk>/", views.pickup, name="pickup"),
    path("rounds/mine/", round_views.my_rounds, name="my_rounds"),
    path("rounds/<int:pk>/", round_views.round_sheet, name="round"),
    path("<slug:slug>/rounds/new/", round_views.round_plan, name="round_plan"),
    path("<slug:slug>/lots/new/", views.lot_create, name="lot_create"),
    path("<slug:slug>/lots/", views.lots, name="lots"),
    path("<slug:slug>/needs/new/", views.need_create, name="need_create"),
    path("<slug:slug>/near/", views.near, name="near"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/", views.association, name="association"),
]
