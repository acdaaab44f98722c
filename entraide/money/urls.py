"""Routes of the funds' pages."""

from django.urls import path

from entraide.money import views

app_name = "money"

urlpatterns = [
    path("", views.funds, name="funds"),
    path("snapshots.json", views.snapshots_json, name="snapshots_json"),
    path("<slug:slug>/", views.fund, name="fund"),
    path("<slug:slug>/movements.json", views.movements_json, name="movements_json"),
    path("<slug:slug>/movements.csv", views.movements_csv, name="movements_csv"),
    path("<slug:slug>/staff/", views.staff, name="staff"),
]
