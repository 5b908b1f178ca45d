from django.urls import path

from . import views

urlpatterns = [
    path("consent/", views.ConsentView.as_view(), name="consent"),
    path("records/", views.RecordsView.as_view(), name="records"),
    path("points/", views.PointsView.as_view(), name="points"),
    path("rewards/", views.RewardsView.as_view(), name="rewards"),
    path("rewards/<id:pk>/redeem/", views.RedeemView.as_view(), name="redeem"),
    path("vouchers/", views.VouchersView.as_view(), name="vouchers"),
]
