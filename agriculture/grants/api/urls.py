from django.urls import path

from . import views

urlpatterns = [
    path("programs/", views.ProgramsView.as_view(), name="programs"),
    path("programs/<id:pk>/", views.ProgramView.as_view(), name="program"),
    path("programs/<id:pk>/calculate/", views.CalculateView.as_view(), name="calculate"),
    path("applications/", views.ApplicationsView.as_view(), name="applications"),
    path("applications/<id:pk>/", views.ApplicationView.as_view(), name="application"),
]
