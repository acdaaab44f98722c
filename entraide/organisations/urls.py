"""URLs of the organisations app."""

from django.urls import path

from entraide.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.register, name="register"),
    path("moderation/", views.moderation, name="moderation"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.public, name="public"),
    path("<slug:slug>/settings/", views.settings_page, name="settings"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/members/<int:pk>/role/", views.change_role, name="change_role"),
    path("<slug:slug>/members/<int:pk>/contact/", views.set_contact, name="set_contact"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path(
        "<slug:slug>/invitations/<int:pk>/cancel/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(
        "<slug:slug>/moderate/<str:action>/",
        views.moderate,
        name="moderate",
    ),
]
