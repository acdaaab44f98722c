"""Routes of the lodging pages."""

from django.urls import path

from entraide.lodging import views

app_name = "lodging"

urlpatterns = [
    path("", views.home, name="home"),
    path("hosts/<int:pk>/", views.host, name="host"),
    path("hosts/<int:host_pk>/places/new/", views.place_edit, name="place_new"),
    path("hosts/<int:host_pk>/places/<int:pk>/", views.place_edit, name="place_edit"),
    path("associations/<int:pk>/", views.association, name="association"),
    path("desk/", views.desk, name="desk"),
    path("desk/counts.csv", views.counts_csv, name="counts_csv"),
]
