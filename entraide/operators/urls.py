"""URLs of the operators app."""

from django.urls import path

app_name = "operators"
urlpatterns: list = []
