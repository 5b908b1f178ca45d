from django.urls import path

from . import feeds, views

app_name = "notices"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/image/", views.image, name="image"),
    path("reader/", views.reader, name="reader"),
    path("feed/<slug:category>.atom", feeds.CategoryFeed(), name="feed"),
    # staff
    path("staff/", views.staff, name="staff"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<id:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<id:pk>/", views.staff_reach, name="staff_reach"),
    path("staff/compare/", views.staff_compare, name="staff_compare"),
    path("staff/reach.csv", views.staff_csv, name="staff_csv"),
    path("staff/readings/", views.staff_readings, name="staff_readings"),
]
