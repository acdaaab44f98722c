"""Core pages."""

from django.urls import path

from entraide.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
]
