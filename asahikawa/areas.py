"""The policy-area apps, and the optional modules through which each plugs into the platform."""
from importlib import import_module

AREAS = ("wellness", "community", "agriculture", "budget")


def optional_module(name: str):
    """Import name if that module exists (e.g. "budget.api.urls"), else None."""
    try:
        return import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise
