"""Routes of the programmes' pages."""

from django.urls import URLPattern

app_name = "programmes"

urlpatterns: list[URLPattern] = []
