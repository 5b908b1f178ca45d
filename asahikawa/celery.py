"""The Celery app. Broker: Redis when REDIS_URL is set, else the file-system transport."""
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
