from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from asahikawa.accounts import views as account_views
from asahikawa.areas import portal_apps

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/profile/", account_views.profile_edit, name="profile"),
    path("accounts/export/", account_views.account_export, name="account_export"),
    path("accounts/delete/", account_views.account_delete, name="account_delete"),
    path("accounts/devices/", account_views.devices, name="devices"),
    path("accounts/devices/<id:pk>/sign-out/", account_views.device_sign_out, name="device_sign_out"),
    path("accounts/devices/sign-out-all/", account_views.devices_sign_out_all, name="devices_sign_out_all"),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("asahikawa.notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("asahikawa.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Each app's pages at the prefix its AppConfig declares (asahikawa/areas.py).
for config in portal_apps():
    if module := config.urls_module():
        urlpatterns.append(path(config.url_prefix, include(module)))

handler404 = "asahikawa.views.not_found"
handler500 = "asahikawa.views.server_error"
