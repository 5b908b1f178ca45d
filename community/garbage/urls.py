from django.urls import path

from . import views

app_name = "garbage"

urlpatterns = [
    path("", views.home, name="home"),
    path("choose/", views.choose, name="choose"),
    path("search/", views.search, name="search"),
    path("reminder/", views.reminder, name="reminder"),
    path("<slug:code>.ics", views.feed_view, name="feed"),
    path("d/<slug:code>/", views.district_page, name="district"),
    path("d/<slug:code>/month/", views.month_page, name="month"),
    path("d/<slug:code>/<year:year>/", views.year_page, name="year"),
]
