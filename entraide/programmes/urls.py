"""Routes of the programmes' pages."""

from django.urls import path

from entraide.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programmes, name="list"),
    path("mine/", views.mine, name="mine"),
    path("authoring/", views.authoring, name="authoring"),
    path("enrolments/<int:pk>/", views.enrolment, name="enrolment"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("<slug:slug>/phone/", views.phone_enrol, name="phone_enrol"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/days/<int:number>/", views.day_edit, name="day_edit"),
    path(
        "<slug:slug>/days/<int:number>/preview/<str:language>/",
        views.day_preview,
        name="day_preview",
    ),
]
