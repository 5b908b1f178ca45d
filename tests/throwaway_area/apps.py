from celery.schedules import crontab

from asahikawa.areas import AreaConfig, Kind, Service, StaffPage

from . import AREA


class ThrowawayConfig(AreaConfig):
    name = "tests.throwaway_area"
    label = "throwaway"
    area = AREA
    department = "community"
    services = [
        Service("throwaway:index", "Throw-away service", "A service only the registry test installs"),
        Service("throwaway:later", "Throw-away plan", "Not built yet", live=False),
    ]
    staff_pages = [StaffPage("throwaway:index", "Throw-away staff page")]
    notification_kinds = {"throwaway_news": Kind("Throw-away news")}
    periodic_tasks = {"throwaway-nightly": {"task": "tests.throwaway_area.tasks.nightly", "schedule": crontab(hour=1)}}
    url_prefix = "throwaway/"
    hooks = {"dashboard_panel": "panels.panel", "banners": "panels.banners"}  # the others are methods below

    erased: list = []  # user ids whose data the account deletion asked this area to erase
    demo_loaded: list = []

    def load_demo(self, stdout):
        ThrowawayConfig.demo_loaded.append(True)

    def access_rows(self, world):
        from tests.access import signed_in

        return [signed_in("/throwaway/")]

    def export(self, user):
        return {"greeting": f"hello {user.email}"}

    def erase(self, user):
        ThrowawayConfig.erased.append(user.pk)
