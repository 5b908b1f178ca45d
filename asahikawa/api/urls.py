"""/api/v1/: the platform's endpoints, and each area's api/urls.py under its own prefix."""
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from asahikawa.areas import AREAS, optional_module

from . import views

router = SimpleRouter(use_regex_path=False)
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("auth/devices", views.DeviceViewSet, basename="device")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]

for area in AREAS:
    if module := optional_module(f"{area}.api.urls"):
        urlpatterns.append(path(f"{area}/", include((module, area), namespace=f"{area}-api")))
