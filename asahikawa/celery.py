"""The Celery app. Broker: Redis when REDIS_URL is set, else the file-system transport.
The beat schedule comes from the apps (asahikawa.areas.beat_schedule)."""
import os
from pathlib import Path

from celery import Celery

from asahikawa.logs import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")

app = Celery("asahikawa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_celery_signals()  # request ids in task logs; each task's start, result and duration logged


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_finalize.connect
def _periodic_tasks_of_the_apps(sender, **kwargs):
    """The beat schedule is what the apps declare (periodic_tasks in their AppConfig)."""
    from asahikawa.areas import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
