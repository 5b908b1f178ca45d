"""Logs an operator can use: one line per request and per task, each with a request id, JSON in
production (python-json-logger), text locally; error reports to Sentry when SENTRY_DSN is set.

- Every log record carries `request_id` (a LogRecord factory, installed when this module is
  imported by the LOGGING config): the id of the web request being served, or of the request that
  enqueued the task being run ("-" outside both).
- The id is the X-Request-ID of a trusted proxy (PORTAL_TRUSTED_PROXIES > 0) when it looks like
  an id, else a new one; the response sends it back in X-Request-ID.
- Celery: the id travels in the task message's headers (before_task_publish) and is restored
  around the task (task_prerun/postrun), which logs its start, result or failure and duration.
"""
import contextvars
import logging
import re
import time
import uuid

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id_var = contextvars.ContextVar("request_id", default="-")
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}

request_logger = logging.getLogger("asahikawa.request")
task_logger = logging.getLogger("asahikawa.task")

_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args, **kwargs):
    record = _factory(*args, **kwargs)
    record.request_id = request_id_var.get()
    return record


if not getattr(_factory, "_adds_request_id", False):
    _record_with_request_id._adds_request_id = True
    logging.setLogRecordFactory(_record_with_request_id)


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, and any `extra=` fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)


class TextFormatter(logging.Formatter):
    """For a developer's terminal: the same facts on one line, the extra fields as key=value."""

    def __init__(self, *args, **kwargs):
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s", *args, **kwargs)

    def format(self, record):
        line = super().format(record)
        extra = {key: value for key, value in vars(record).items() if key not in _STANDARD and not key.startswith("_")}
        if extra:
            first, newline, rest = line.partition("\n")
            line = first + " " + " ".join(f"{key}={value}" for key, value in extra.items()) + newline + rest
        return line


def _request_id_of(request) -> str:
    from asahikawa.clientip import from_trusted_proxy

    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if incoming and from_trusted_proxy(request) and REQUEST_ID_PATTERN.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """First in MIDDLEWARE: the request id, and one log line per request (method, path without the
    query string, status, duration, user id, client address). A refusal (401, 403, 429) is a warning."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _request_id_of(request)
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _log(request, status, started):
        from asahikawa.clientip import client_ip

        user = getattr(request, "user", None)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "client_ip": client_ip(request),
        }
        if status in (401, 403, 429):
            request_logger.warning("request refused", extra=fields)
        elif status >= 500:
            request_logger.error("request failed", extra=fields)
        else:
            request_logger.info("request", extra=fields)


# --- Celery ---
_task_started = {}


def task_publish_add_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if headers is not None and request_id != "-":
        headers.setdefault("request_id", request_id)


def task_prerun_set_request_id(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, "request_id", None) or request_id_var.get()
    if request_id == "-":
        request_id = f"task-{task_id}"
    _task_started[task_id] = (request_id_var.set(request_id), time.perf_counter())
    task_logger.info("task started", extra={"task": task.name, "task_id": task_id})


def task_postrun_log(task_id=None, task=None, retval=None, state=None, **kwargs):
    token, started = _task_started.pop(task_id, (None, time.perf_counter()))
    fields = {"task": task.name, "task_id": task_id, "state": state,
              "duration_ms": round((time.perf_counter() - started) * 1000, 1)}
    if state == "SUCCESS" and isinstance(retval, (int, dict, list, str)) and len(repr(retval)) <= 500:
        fields["result"] = retval
    task_logger.log(logging.INFO if state == "SUCCESS" else logging.WARNING, "task finished", extra=fields)
    if token is not None:
        request_id_var.reset(token)


def task_failure_log(task_id=None, exception=None, sender=None, **kwargs):
    task_logger.error("task failed", exc_info=exception, extra={"task": getattr(sender, "name", None), "task_id": task_id})


def connect_celery_signals():
    from celery import signals

    signals.before_task_publish.connect(task_publish_add_request_id, weak=False, dispatch_uid="portal-request-id-publish")
    signals.task_prerun.connect(task_prerun_set_request_id, weak=False, dispatch_uid="portal-request-id-prerun")
    signals.task_postrun.connect(task_postrun_log, weak=False, dispatch_uid="portal-task-postrun")
    signals.task_failure.connect(task_failure_log, weak=False, dispatch_uid="portal-task-failure")


# --- Sentry ---
def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    """Error reports (and, if asked, a sample of traces) to Sentry. Called by the settings only
    when SENTRY_DSN is set. No personal data is sent (send_default_pii=False)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
    )
