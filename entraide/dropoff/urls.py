"""Routes of the drop-off points' pages."""

from django.urls import path

from entraide.dropoff import views

app_name = "dropoff"

urlpatterns = [
    path("", views.points, name="points"),
    path("points/<int:pk>/", views.point, name="point"),
]
