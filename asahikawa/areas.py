"""How an app plugs into the platform: its AppConfig declares everything, once.

A policy area is a top-level folder (`wellness/`, `community/`, `agriculture/`, `budget/`) whose
`__init__.py` names it (`AREA = Area(...)`: its title on the home page and its place there).
Each feature of an area is a Django app whose AppConfig subclasses `AreaConfig` and declares:

    class GarbageConfig(AreaConfig):
        name = "community.garbage"
        label = "garbage"
        area = AREA                                  # from community/__init__.py
        department = "community"                     # staff who run it (asahikawa/departments.py)
        permissions = {"community": ["garbage"]}     # default: {department: [label]}
        services = [Service("garbage:home", _("ごみカレンダー"), _("収集日と分別の検索"))]
        staff_pages = [StaffPage("garbage:staff", _("..."))]
        area_nav = [NavLink("garbage:home", _("カレンダー"), "home"), ...]   # {% area_nav "garbage" %}
        notification_kinds = {"garbage_reminder": Kind(_("..."), reminder=True)}
        periodic_tasks = {"garbage-reminders": {"task": "...", "schedule": crontab(hour=19)}}
        url_prefix = "community/garbage/"            # mounts <name>.urls there
        api_prefix = "garbage/"                      # mounts <name>.api.urls under /api/v1/
        cached_models = ["Category"]                 # each save/delete changes what it caches (asahikawa/caching.py)

        hooks = {                                    # functions of the app, by module path under it
            "dashboard_panel": "dashboard.panel",    # (request) -> {"template": ..., ...} or None
            "banners": "dashboard.banners",          # (request) -> [{"template": ..., ...}] first on home and dashboard
            "load_demo": "demo.load",                # (stdout)
            "access_rows": "tests.access.rows",      # (world) -> [tests.access.Row, ...]
            "export": "selectors.export_data",       # (user) -> JSON-able data for the account download
            "erase": "services.garbage_data_erase",  # (user) before the account is deleted
        }

Each hook function takes its argument by the name shown (`def panel(request)`, `def erase(*, user)`)
and is imported when first called. An app whose hook is a few lines may override the method of the
same name instead (`def export(self, user): ...`).

The platform (home page, dashboard, URLs, admin console, notification settings, beat schedule,
department permissions, demo data, account download and deletion, access matrix) asks
`portal_apps()`, which is every installed app whose config is a PortalAppConfig, in the order
of INSTALLED_APPS. Adding an app means writing it and adding it to INSTALLED_APPS: no list in
asahikawa/ changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import AppConfig, apps
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

from asahikawa import converters  # noqa: F401 (registers <id:...> and <year:...> before any urls.py)


@dataclass(frozen=True)
class Area:
    """A policy area: a top-level folder of the project, a group of services on the home page."""

    code: str
    title: str
    order: int


@dataclass(frozen=True)
class Service:
    """A service on the home page. Not live: listed as in preparation (準備中), without a link."""

    url_name: str
    title: str
    description: str
    live: bool = True
    area: Area | None = None  # listed under this area rather than the app's (e.g. a claim of another department)

    def url(self) -> str | None:
        if not self.live:
            return None
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


@dataclass(frozen=True)
class StaffPage:
    """A staff page outside the model lists, linked on the admin console's first page for the
    staff of `department` (default: the app's department)."""

    url_name: str
    title: str
    department: str = ""


@dataclass(frozen=True)
class NavLink:
    """A link of an app's own navigation (`{% area_nav "label" %}` in its base template, from
    `{% load portal %}`); the page whose context has `nav` == key is marked as the current one."""

    url_name: str
    title: str
    key: str


@dataclass(frozen=True)
class Kind:
    """A kind of notification. A reminder kind is opt-in: nobody gets it until they choose a channel."""

    label: str
    reminder: bool = False


# The hooks an app may declare (PortalAppConfig.hooks), with what the platform gets from an app
# that declares none.
HOOK_DEFAULTS = {"dashboard_panel": None, "banners": (), "load_demo": None, "access_rows": (), "export": None, "erase": None}


class PortalAppConfig(AppConfig):
    """An app that plugs into the platform. Every declaration is optional."""

    # Django picks the AppConfig of an app from the classes in its apps.py, imported ones too:
    # the base classes say they are not the one; every subclass is (unless it says otherwise).
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True
        if unknown := set(cls.hooks) - set(HOOK_DEFAULTS):
            raise TypeError(f"{cls.__name__}.hooks: no such hook {sorted(unknown)} (hooks: {sorted(HOOK_DEFAULTS)})")

    area: Area | None = None
    department: str = ""
    permissions: dict | None = None
    services: list = []
    staff_pages: list = []
    area_nav: list = []
    notification_kinds: dict = {}
    periodic_tasks: dict = {}
    url_prefix: str | None = None
    api_prefix: str | None = None
    hooks: dict[str, str] = {}
    # Models whose every save and delete changes what the app caches under its label
    # (asahikawa/caching.py): "Model" of this app or "app_label.Model".
    cached_models: list[str] = []

    def ready(self):
        if self.cached_models:
            from . import caching

            caching.watch(self.label, [self.get_model(name) if "." not in name else apps.get_model(name)
                                       for name in self.cached_models])

    def department_permissions(self) -> dict:
        """department -> ["app_label" (every model of the app) or "app_label.model"]."""
        if self.permissions is not None:
            return self.permissions
        return {self.department: [self.label]} if self.department else {}

    def urls_module(self):
        return optional_module(f"{self.name}.urls") if self.url_prefix is not None else None

    def api_urls_module(self):
        return optional_module(f"{self.name}.api.urls") if self.api_prefix is not None else None

    def _hook(self, name: str, **argument):
        """Call the function that hooks[name] names ("module.function" under the app), else the hook's default."""
        target = self.hooks.get(name)
        if target is None:
            return HOOK_DEFAULTS[name]
        module, _, function = target.rpartition(".")
        return getattr(import_module(f"{self.name}.{module}"), function)(**argument)

    def dashboard_panel(self, request) -> dict | None:
        return self._hook("dashboard_panel", request=request)

    def banners(self, request) -> list:
        """Messages shown first, above everything, on the home page and the dashboard (e.g. an
        urgent notice): [{"template": ..., ...}], each rendered with its dict as `banner`."""
        return self._hook("banners", request=request)

    def load_demo(self, stdout) -> None:
        return self._hook("load_demo", stdout=stdout)

    def access_rows(self, world) -> list:
        return self._hook("access_rows", world=world)

    def export(self, user):
        """What the account download includes from this app (JSON-able), or None for nothing."""
        return self._hook("export", user=user)

    def erase(self, user) -> None:
        """Remove what the account deletion must remove beyond the database cascade (files,
        anonymised history...). Called inside the deletion's transaction, before the user row goes."""
        return self._hook("erase", user=user)


class AreaConfig(PortalAppConfig):
    """A feature app of a policy area (see the module's docstring)."""

    default = False


# What the installed apps declare does not change while the process runs: the lists below are built
# once (not on every page and every inbox row) and rebuilt when a test changes INSTALLED_APPS.
@cache
def portal_apps() -> tuple[PortalAppConfig, ...]:
    return tuple(config for config in apps.get_app_configs() if isinstance(config, PortalAppConfig))


@receiver(setting_changed)
def _installed_apps_changed(*, setting, **kwargs):
    if setting == "INSTALLED_APPS":
        for built in (portal_apps, _home_areas, nav_areas, notification_kinds):
            built.cache_clear()


def optional_module(name: str):
    """Import name if that module exists (e.g. "budget.api.urls"), else None."""
    try:
        return import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def home_areas() -> list[dict]:
    """The home page's services, grouped by area in the areas' order, live services first (titles
    stay lazy: each request shows them in its language)."""
    return [{**group, "services": [dict(service) for service in group["services"]]} for group in _home_areas()]


@cache
def _home_areas() -> tuple[dict, ...]:
    groups: dict[str, dict] = {}
    for config in portal_apps():
        for service in config.services:
            area = service.area or config.area
            if area is None:
                continue
            group = groups.setdefault(area.code, {"area": area, "title": area.title, "services": []})
            url = service.url()
            group["services"].append(
                {"url": url, "title": service.title, "description": service.description, "live": url is not None}
            )
    ordered = sorted(groups.values(), key=lambda group: group["area"].order)
    for group in ordered:
        group["services"].sort(key=lambda service: not service["live"])  # stable: declared order within each
    return tuple(ordered)


@cache
def nav_areas() -> tuple[tuple[str, object, tuple[str, ...]], ...]:
    """(first live URL, title, every live URL) of each area with a live service: the header's global
    navigation on every page (titles stay lazy)."""
    return tuple(
        (urls[0], group["title"], urls)
        for group in _home_areas()
        if (urls := tuple(service["url"] for service in group["services"] if service["live"]))
    )


def banners(request) -> list[dict]:
    return [banner for config in portal_apps() for banner in config.banners(request)]


@cache
def notification_kinds() -> dict[str, Kind]:
    """Every declared kind by its code (one shared dict: read it, do not change it)."""
    kinds = {}
    for config in portal_apps():
        for code, kind in config.notification_kinds.items():
            if code in kinds:
                raise ValueError(f"notification kind {code!r} is declared twice ({config.label})")
            kinds[code] = kind
    return kinds


def beat_schedule() -> dict:
    schedule = {}
    for config in portal_apps():
        for name, entry in config.periodic_tasks.items():
            if name in schedule:
                raise ValueError(f"periodic task {name!r} is declared twice ({config.label})")
            schedule[name] = entry
    return schedule


def department_permissions() -> dict[str, list[str]]:
    from asahikawa.departments import DEPARTMENTS

    grants: dict[str, list[str]] = {code: [] for code in DEPARTMENTS}
    for config in portal_apps():
        for department, app_grants in config.department_permissions().items():
            if department not in DEPARTMENTS:
                raise ValueError(f"{config.label} grants to an unknown department {department!r}")
            grants[department].extend(app_grants)
    return grants


def staff_pages_for(user) -> list[dict]:
    from asahikawa.accounts.roles import in_department

    pages = []
    for config in portal_apps():
        for page in config.staff_pages:
            if not in_department(user, page.department or config.department):
                continue
            try:
                pages.append({"url": reverse(page.url_name), "title": page.title})
            except NoReverseMatch:
                continue
    return pages
