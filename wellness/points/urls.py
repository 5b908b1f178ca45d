from django.urls import path

from . import views

app_name = "wellness"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("consent/", views.consent, name="consent"),
    path("records/", views.record, name="record"),
    path("records/<id:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/upload/", views.upload, name="upload"),
    path("trends/", views.trends, name="trends"),
    path("points/", views.ledger, name="ledger"),
    path("rewards/", views.rewards, name="rewards"),
    path("rewards/<id:pk>/redeem/", views.reward_redeem, name="redeem"),
    path("vouchers/", views.vouchers, name="vouchers"),
    path("my-data/wellness.json", views.export_json, name="export_json"),
    path("my-data/wellness.csv", views.export_csv, name="export_csv"),
    path("my-data/delete/", views.delete_data, name="delete_data"),
    path("staff/statistics/", views.staff_stats, name="staff_stats"),
    path("staff/statistics.csv", views.staff_stats_csv, name="staff_stats_csv"),
    path("staff/counter/", views.counter, name="counter"),
    path("staff/counter/<id:pk>/", views.counter_resident, name="counter_resident"),
]
