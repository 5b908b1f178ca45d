"""/api/v1/: the platform's endpoints, and each app's api/urls.py under the prefix its AppConfig declares."""
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from asahikawa.areas import portal_apps

from . import views

router = SimpleRouter(use_regex_path=False)
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("auth/devices", views.DeviceViewSet, basename="device")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]

for config in portal_apps():
    if module := config.api_urls_module():
        urlpatterns.append(path(config.api_prefix, include((module, config.label), namespace=f"{config.label}-api")))
