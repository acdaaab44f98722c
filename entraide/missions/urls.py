"""URLs of the missions app."""

from django.urls import path

from entraide.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.my_applications, name="mine"),
    path("certificate/", views.certificate, name="certificate"),
    path("certificate/<slug:slug>/", views.certificate_download, name="certificate_download"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
    path("organisation/<slug:slug>/", views.organisation_missions, name="organisation"),
    path("organisation/<slug:slug>/new/", views.mission_create, name="create"),
    path("organisation/<slug:slug>/import/", views.mission_import, name="import"),
    path("saved-searches/", views.saved_searches, name="saved_searches"),
    path(
        "saved-searches/unsubscribe/<str:token>/",
        views.saved_search_unsubscribe,
        name="saved_search_unsubscribe",
    ),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.mission_edit, name="edit"),
    path("<uuid:public_id>/manage/", views.manage, name="manage"),
    path("<uuid:public_id>/propose/", views.propose, name="propose"),
    path("<uuid:public_id>/review/", views.review, name="review"),
    path("<uuid:public_id>/moderate/<str:action>/", views.moderate, name="moderate"),
]
