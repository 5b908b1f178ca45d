"""asahikawa/caching.py: values cached per scope version, gone at a change, at a moment, or when the
version itself is lost."""
import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from asahikawa import caching
from asahikawa.accounts.models import District

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"value {self.calls}"


def test_a_value_is_computed_once_per_version_and_language():
    compute = Counter()
    assert caching.cached("demo", "page", 1, compute=compute) == "value 1"
    assert caching.cached("demo", "page", 1, compute=compute) == "value 1"
    assert caching.cached("demo", "page", 2, compute=compute) == "value 2"
    with translation.override("en"):
        assert caching.cached("demo", "page", 1, compute=compute) == "value 3"
    caching.changed("demo")
    assert caching.cached("demo", "page", 1, compute=compute) == "value 4"
    caching.changed("other")  # another scope's change leaves this one alone
    assert caching.cached("demo", "page", 1, compute=compute) == "value 4"


def test_a_lost_version_is_a_miss_not_a_stale_value():
    compute = Counter()
    caching.cached("demo", "page", compute=compute)
    cache.delete(caching._version_key("demo"))
    assert caching.cached("demo", "page", compute=compute) == "value 2"


def test_nothing_is_cached_when_compute_raises():
    def fails():
        raise LookupError("no such page")

    with pytest.raises(LookupError):
        caching.cached("demo", "page", compute=fails)
    assert caching.cached("demo", "page", compute=Counter()) == "value 1"


def test_a_change_inside_a_transaction_changes_the_version_again_at_commit(db, django_capture_on_commit_callbacks):
    compute = Counter()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        caching.changed("demo")
        caching.cached("demo", "page", compute=compute)  # a reader between the change and the commit
    assert caching.cached("demo", "page", compute=compute) == "value 2"


class KeepsEverything:
    """The cache, but keeping every value past its timeout: as Redis does while a test moves only
    the portal's clock (time_machine)."""

    def __getattr__(self, name):
        return getattr(cache, name)

    def set(self, key, value, timeout=None):
        cache.set(key, value, None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache_keeps_everything", [False, True], ids=["cache timeout", "portal clock only"])
def test_until_expires_the_value_at_the_moment_it_gives(cache_keeps_everything, monkeypatch):
    if cache_keeps_everything:  # the moment is kept by the portal's clock, whatever the cache's
        monkeypatch.setattr(caching, "cache", KeepsEverything())
    compute = Counter()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        caching.cached("demo", "page", compute=compute, until=lambda: start + datetime.timedelta(minutes=5))
        clock.shift(datetime.timedelta(minutes=4, seconds=59))
        assert caching.cached("demo", "page", compute=compute) == "value 1"
        clock.shift(datetime.timedelta(seconds=1))
        assert caching.cached("demo", "page", compute=compute) == "value 2"


def test_a_moment_already_past_is_not_cached():
    compute = Counter()
    caching.cached("demo", "late", compute=compute, until=lambda: timezone.now() - datetime.timedelta(seconds=1))
    assert caching.cached("demo", "late", compute=compute) == "value 2"


def test_a_value_stored_before_the_moment_was_kept_with_it_is_a_miss():
    cache.set(caching._key("demo", "page"), "stored by the code before")  # under the key cached() reads
    assert caching.cached("demo", "page", compute=Counter()) == "value 1"


def test_a_none_value_is_cached_too():
    calls = []
    for _ in range(2):
        assert caching.cached("demo", "nothing", compute=lambda: calls.append(1)) is None
    assert calls == [1]


@pytest.fixture
def watched_districts():
    caching.watch("demo", [District])
    yield
    for event, signal in (("save", post_save), ("delete", post_delete)):
        assert signal.disconnect(sender=District, dispatch_uid=f"caching:demo:accounts.District:{event}")


def test_watched_models_change_the_scope_on_save_and_delete(db, watched_districts):
    compute = Counter()
    caching.cached("demo", "page", compute=compute)
    district = District.objects.create(code="zz", name="テスト地区")
    assert caching.cached("demo", "page", compute=compute) == "value 2"
    district.delete()
    assert caching.cached("demo", "page", compute=compute) == "value 3"


def test_the_release_changes_with_a_template_or_translation_and_not_with_local_files(tmp_path):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    template = tmp_path / "app" / "templates" / "page.html"
    template.write_text("<p>{{ value }}</p>")
    (tmp_path / "app" / "views.py").write_text("VALUE = 1\n")
    first = caching.digest(tmp_path)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "site.py").write_text("anything")
    (tmp_path / "app" / "notes.md").write_text("not code")
    assert caching.digest(tmp_path) == first
    template.write_text("<p>{{ value }}!</p>")
    assert caching.digest(tmp_path) != first
    template.write_text("<p>{{ value }}</p>")
    assert caching.digest(tmp_path) == first
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "django.mo").write_bytes(b"\x00")
    assert caching.digest(tmp_path) != first


def test_every_key_carries_the_release(monkeypatch):
    compute = Counter()
    caching.cached("demo", "page", compute=compute)
    monkeypatch.setattr(caching, "release", lambda: "another-release")
    assert caching.cached("demo", "page", compute=compute) == "value 2"
