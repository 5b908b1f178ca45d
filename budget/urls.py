from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<year:year>/", views.overview, name="year"),
    path("<year:year>/purpose/<str:code>/", views.purpose_detail, name="purpose_detail"),
    path("years/", views.years, name="years"),
    path("calculator/", views.calculator, name="calculator"),
    path("data/", views.data_index, name="data"),
    path("data/<slug:slug>.<str:fmt>", views.data_download, name="download"),
]
