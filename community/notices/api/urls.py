from django.urls import path

from . import views

urlpatterns = [
    path("mine/", views.MyNoticesView.as_view(), name="mine"),
    path("<id:pk>/open/", views.OpenView.as_view(), name="open"),
    path("public/", views.PublicNoticesView.as_view(), name="public"),
]
