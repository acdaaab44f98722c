"""URLs of the help_requests app."""

from django.urls import path

app_name = "help_requests"
urlpatterns: list = []
