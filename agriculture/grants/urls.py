from django.urls import path

from . import staff, views

app_name = "grants"

urlpatterns = [
    path("", views.programs, name="programs"),
    path("hearing-test/", views.hearing_test, name="hearing_test"),
    path("programs/<id:pk>/", views.program, name="program"),
    path("programs/<id:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<id:pk>/", views.application, name="application"),
    path("applications/<id:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<id:pk>/confirm/", views.application_confirm, name="confirm"),
    path("applications/<id:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<id:pk>/delete/", views.application_delete, name="delete"),
    path("applications/<id:pk>/completion/", views.completion, name="completion"),
    path("applications/<id:pk>/documents/<id:doc_pk>/", views.document, name="document"),
    path("applications/<id:pk>/documents/<id:doc_pk>/delete/", views.document_delete, name="document_delete"),
    path("staff/", staff.queue, name="staff_queue"),
    path("staff/applications/<id:pk>/", staff.application, name="staff_application"),
    path("staff/programs/<id:pk>/", staff.program, name="staff_program"),
    path("staff/export/applications.csv", staff.export_applications_csv, name="staff_export_applications_csv"),
    path("staff/export/applications.xlsx", staff.export_applications_xlsx, name="staff_export_applications_xlsx"),
    path("staff/export/payments.csv", staff.export_payments_csv, name="staff_export_payments_csv"),
    path("staff/export/payments.xlsx", staff.export_payments_xlsx, name="staff_export_payments_xlsx"),
]
