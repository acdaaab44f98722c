"""URLs of the notifications app."""

from django.urls import path

app_name = "notifications"
urlpatterns: list = []
