"""Routes of the drop-off points' pages."""

from django.urls import path

from entraide.dropoff import collection_views, views

app_name = "dropoff"

urlpatterns = [
    path("", views.points, name="points"),
    path("points/<int:pk>/", views.point, name="point"),
    path("points/<int:pk>/host/", views.host, name="host"),
    path("phone/", views.phone, name="phone"),
    path("pickup-requests/", views.pickup_requests, name="pickup_requests"),
    path("collection/", collection_views.book, name="book"),
    path("collection/mine/", collection_views.my_bookings, name="my_bookings"),
    path("collection/slots/", collection_views.slots, name="slots"),
    path("collection/day/", collection_views.collection_day, name="collection_day"),
    path("collection/<str:token>/", collection_views.booking, name="booking"),
    path("phone/collection/", collection_views.phone_book, name="phone_book"),
    path("points.geojson", views.points_geojson, name="points_geojson"),
    path("points.csv", views.points_csv, name="points_csv"),
]
