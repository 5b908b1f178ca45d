"""The area registry (asahikawa/areas.py): an app plugs in by its AppConfig alone.

A throw-away area (tests/throwaway_area/: an AppConfig, a urls.py and a template, nothing in
asahikawa/) is installed for these tests, and seen everywhere the platform lists areas."""
import importlib
import io
import json
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import clear_url_caches

from asahikawa.accounts.tests.factories import PASSWORD
from asahikawa.areas import beat_schedule, department_permissions, home_areas, notification_kinds, portal_apps
from asahikawa.notifications.services import notify
from asahikawa.testing import assert_not_shown
from conftest import client_for

from .test_access_matrix import all_rows, matrix_failures, routes_without_a_row, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _reload_urls():
    for name in ("asahikawa.api.urls", "asahikawa.urls"):
        importlib.reload(sys.modules[name])
    clear_url_caches()


@pytest.fixture
def throwaway():
    from tests.throwaway_area.apps import ThrowawayConfig

    ThrowawayConfig.erased.clear()
    ThrowawayConfig.demo_loaded.clear()
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.throwaway_area"]):
        _reload_urls()
        yield ThrowawayConfig
    _reload_urls()


def test_the_throwaway_area_is_not_there_unless_installed():
    assert "throwaway" not in [config.label for config in portal_apps()]
    assert_not_shown(Client().get("/"), "Throw-away service")


def test_its_services_are_on_the_home_page_live_first(throwaway):
    html = Client().get("/").content.decode()
    assert '<a href="/throwaway/">Throw-away service</a>' in html
    (group,) = [area for area in home_areas() if area["title"] == "Throw-away area"]
    assert [(s["title"], s["live"]) for s in group["services"]] == [("Throw-away service", True), ("Throw-away plan", False)]
    assert html.index("Throw-away plan") > html.index("Throw-away service")


def test_its_banners_come_first_on_the_home_page_and_the_dashboard(throwaway, resident):
    for html in (Client().get("/").content.decode(), client_for(resident).get("/dashboard/").content.decode()):
        assert "Throw-away urgent banner" in html
        assert html.index("Throw-away urgent banner") < html.index("<h1")


def test_its_urls_its_dashboard_panel_and_its_staff_page(throwaway, resident, make_staff):
    assert client_for(resident).get("/throwaway/").content == b"throw-away page"
    assert "Throw-away panel" in client_for(resident).get("/dashboard/").content.decode()
    assert "Throw-away staff page" in client_for(make_staff("community")).get("/admin/").content.decode()
    assert "管理コンソール" in assert_not_shown(client_for(make_staff("finance")).get("/admin/"), "Throw-away staff page")


def test_its_rows_are_in_the_access_matrix(throwaway, world):  # noqa: F811
    rows = all_rows(world)
    own = [row for row in rows if row.url.startswith("/throwaway/")]
    assert [row.url for row in own] == ["/throwaway/"]
    assert not routes_without_a_row(world, rows)
    assert not matrix_failures(world, rows=own)
    # Without its rows, the matrix names its page as uncovered.
    assert routes_without_a_row(world, [row for row in rows if row not in own]) == ["throwaway/"]


def test_its_notification_kind_needs_no_migration(throwaway, resident):
    assert "throwaway_news" in notification_kinds()
    (notification,) = notify(user_ids=[resident.pk], kind="throwaway_news", title="news")
    assert notification.get_kind_display() == "Throw-away news"
    assert "Throw-away news" in client_for(resident).get("/notifications/settings/").content.decode()
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())  # raises SystemExit if one is needed


def test_its_periodic_task_is_in_the_beat_schedule(throwaway):
    assert beat_schedule()["throwaway-nightly"]["task"] == "tests.throwaway_area.tasks.nightly"


def test_its_department_is_granted_its_models(throwaway):
    assert "throwaway" in department_permissions()["community"]


def test_its_demo_loads_with_the_others(throwaway):
    call_command("load_demo", stdout=io.StringIO())
    assert throwaway.demo_loaded == [True]


def test_the_account_download_and_deletion_include_it(throwaway, resident):
    client = client_for(resident)
    data = json.loads(client.get("/accounts/export/").content)
    assert data["throwaway"] == {"greeting": "hello resident@example.jp"}
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert throwaway.erased == [resident.pk]


def test_a_hook_that_does_not_exist_is_refused_when_the_app_is_declared():
    from asahikawa.areas import AreaConfig

    with pytest.raises(TypeError, match="dashbord_panel"):
        type("TypoConfig", (AreaConfig,), {"name": "tests.typo", "hooks": {"dashbord_panel": "dashboard.panel"}})
