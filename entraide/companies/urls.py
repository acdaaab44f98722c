"""URLs of the companies app."""

from django.urls import path

from entraide.companies import views

app_name = "companies"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("work-time/", views.decisions, name="decisions"),
    path("work-time/<int:pk>/decide/", views.decide, name="decide"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/join/", views.join_by_email, name="join_by_email"),
    path("<slug:slug>/me/", views.employee_page, name="employee"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/dashboard/pay/", views.pay, name="pay"),
    path("<slug:slug>/dashboard/reverse/", views.reverse_topup, name="reverse"),
    path("<slug:slug>/dashboard/donations/", views.donations, name="donations"),
    path("<slug:slug>/dashboard/rules/", views.rules, name="rules"),
    path("<slug:slug>/dashboard/rules/<int:pk>/end/", views.rule_end, name="rule_end"),
    path("<slug:slug>/dashboard/settings/", views.profile, name="profile"),
    path("<slug:slug>/dashboard/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/dashboard/invitations/<int:pk>/cancel/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/dashboard/ledger.csv", views.ledger_csv, name="ledger_csv"),
    path("<slug:slug>/dashboard/figures.csv", views.dashboard_csv, name="dashboard_csv"),
]
