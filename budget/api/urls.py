from django.urls import path

from . import views

urlpatterns = [
    path("years/", views.YearListView.as_view(), name="years"),
    path("years/<year:year>/", views.YearDetailView.as_view(), name="year"),
    path("years/<year:year>/items/", views.ItemListView.as_view(), name="items"),
    path("fund-balances/", views.FundBalanceListView.as_view(), name="fund-balances"),
    path("calculator/", views.CalculatorView.as_view(), name="calculator"),
]
