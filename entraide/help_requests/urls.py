"""URLs of the requester's pages."""

from django.urls import path

from entraide.help_requests import views

app_name = "help_requests"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("place/", views.place, name="place"),
    path("submitted/<str:token>/", views.submitted, name="submitted"),
    path("track/<str:token>/", views.track, name="track"),
]
