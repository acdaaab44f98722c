"""URLs of the operators app."""

from django.urls import path

from entraide.operators import goods_views, views

app_name = "operators"
urlpatterns = [
    path("", views.console, name="console"),
    path("lookup/", views.lookup, name="lookup"),
    path("requests/new/", views.quick_entry, name="quick_entry"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:public_id>/assign/", views.request_assign, name="request_assign"),
    path("requests/<uuid:public_id>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<uuid:public_id>/confirm/", views.request_confirm, name="request_confirm"),
    path("requests/<uuid:public_id>/calls/", views.request_call, name="request_call"),
    path("requests/<uuid:public_id>/callbacks/", views.request_callback, name="request_callback"),
    path("calls/new/", views.call_new, name="call_new"),
    path("callbacks/new/", views.callback_new, name="callback_new"),
    path("callbacks/<int:pk>/done/", views.callback_done, name="callback_done"),
    path("goods/", goods_views.goods_phone, name="goods_phone"),
    path("goods/<slug:slug>/lot/", goods_views.goods_lot, name="goods_lot"),
    path("goods/<slug:slug>/need/", goods_views.goods_need, name="goods_need"),
]
