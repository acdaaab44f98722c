"""Routes of the receipts pages."""

from django.urls import path

from entraide.receipts import views

app_name = "receipts"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/<int:year>/", views.my_statement, name="my_statement"),
    path("operators/", views.operators, name="operators"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("<slug:slug>/", views.association, name="association"),
    path("<slug:slug>/issuer/", views.issuer_profile, name="issuer_profile"),
    path("<slug:slug>/gifts/", views.donor, name="donor"),
    path("<slug:slug>/gifts/<int:year>/", views.donor_statement, name="donor_statement"),
]
