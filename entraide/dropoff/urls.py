"""Routes of the drop-off points' pages."""

from django.urls import path

from entraide.dropoff import views

app_name = "dropoff"

urlpatterns = [
    path("", views.points, name="points"),
    path("points/<int:pk>/", views.point, name="point"),
    path("points/<int:pk>/host/", views.host, name="host"),
    path("phone/", views.phone, name="phone"),
    path("pickup-requests/", views.pickup_requests, name="pickup_requests"),
    path("points.geojson", views.points_geojson, name="points_geojson"),
    path("points.csv", views.points_csv, name="points_csv"),
]
