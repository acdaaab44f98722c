"""Routes of the goods pages."""

from django.urls import URLPattern

app_name = "goods"

urlpatterns: list[URLPattern] = []
