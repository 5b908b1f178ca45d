from django.urls import path

from . import agency, staff, views

app_name = "carers"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("cases/<id:pk>/", views.case, name="case"),
    path("agency/", agency.visits, name="agency_visits"),
    path("agency/visits/<id:pk>/", agency.visit, name="agency_visit"),
    path("staff/", staff.queue, name="staff_queue"),
    path("staff/apply/", staff.apply, name="staff_apply"),
    path("staff/cases/<id:pk>/", staff.case, name="staff_case"),
    path("staff/report/", staff.report, name="staff_report"),
    path("staff/report.csv", staff.report_csv, name="staff_report_csv"),
    path("staff/access-log/", staff.access_log, name="staff_access_log"),
]
