"""URLs of the volunteers app."""

from django.urls import path

from entraide.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("history/", views.history, name="history"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:public_id>/take/", views.take, name="take"),
    path("requests/<uuid:public_id>/give-back/", views.release, name="release"),
    path("requests/<uuid:public_id>/done/", views.mark_done, name="mark_done"),
]
