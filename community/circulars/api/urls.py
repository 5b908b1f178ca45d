from django.urls import path

from . import views

urlpatterns = [
    path("associations/", views.MyAssociationsView.as_view(), name="associations"),
    path("circulars/", views.MyCircularsView.as_view(), name="circulars"),
    path("circulars/<id:pk>/", views.CircularDetailView.as_view(), name="circular"),
    path("circulars/<id:pk>/open/", views.OpenView.as_view(), name="open"),
    path("circulars/<id:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("safety-checks/<id:pk>/answer/", views.SafetyAnswerView.as_view(), name="safety_answer"),
]
