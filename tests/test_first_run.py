"""The first run (issue 8, findings 7 and 8): `make run`'s steps and `make test` work with a
production .env beside them (it is read only when DJANGO_READ_DOT_ENV_FILE=true), every broker
folder is under .var/, and Ctrl-C on the server and worker ends them quietly.

Everything runs in a copy of the project in a temporary folder (with this virtual environment),
so the working tree's own .env, .var/ and database are never touched."""
import json
import os
import pty
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = """\
DJANGO_SETTINGS_MODULE=asahikawa.settings.production
DJANGO_SECRET_KEY=production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz
DJANGO_DEBUG=false
DJANGO_ALLOWED_HOSTS=portal.city.asahikawa.example
DATABASE_URL=postgres://asahikawa:not-this-machines@127.0.0.1:5432/asahikawa
REDIS_URL=redis://127.0.0.1:6379/0
EMAIL_URL=smtp://mailer:secret@smtp.invalid:587
POSTGRES_PASSWORD=not-this-machines
"""
IGNORED = shutil.ignore_patterns(".venv", ".git", ".var", "media", "staticfiles", "__pycache__", ".pytest_cache",
                                 ".ruff_cache", ".env", "test-results", "tmp")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project with a production .env beside it, as `cp .env.example .env` leaves it."""
    copy = tmp_path_factory.mktemp("first-run") / "portal"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    (copy / ".venv").symlink_to(Path(sys.prefix))
    (copy / ".env").write_text(PRODUCTION_ENV)
    return copy


def local_env(**extra):
    """The environment of a developer who set nothing (no database, Redis or settings variables)."""
    drop = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "REQUIRE_SERVICES", "DJANGO_READ_DOT_ENV_FILE",
            "PYTEST_ADDOPTS", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "SENTRY_DSN"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def run(project, *command, timeout=600, **extra):
    result = subprocess.run(command, cwd=project, env=local_env(**extra), capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_make_runs_steps_and_make_test_pass_with_a_production_env_beside_them(project):
    # `make run` = messages, migrate, demo, then serve (served in the Ctrl-C test below).
    run(project, "make", "-o", ".venv/.run-deps", "demo")
    assert (project / ".var" / "db.sqlite3").exists()
    run(project, "make", "-o", ".venv/.run-deps", "-o", ".venv/.test-deps", "test",
        "PYTEST_ARGS=tests/test_i18n.py -q -p no:cacheprovider")


def test_the_env_file_is_read_when_asked(project):
    script = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    command = [sys.executable, "-c", f"import django; django.setup(); {script}"]
    local = "asahikawa.settings.local"  # as manage.py and celery.py set it
    assert run(project, *command, DJANGO_SETTINGS_MODULE=local).stdout.split() == ["django.db.backends.sqlite3"]
    asked = run(project, *command, DJANGO_READ_DOT_ENV_FILE="true", DJANGO_SETTINGS_MODULE=local)
    assert asked.stdout.split() == ["django.db.backends.postgresql"]


def test_every_folder_of_the_file_broker_is_under_var():
    """Without REDIS_URL (the embedded default), in a fresh process whatever this run's environment."""
    script = (
        "import json; from django.conf import settings; o = settings.CELERY_BROKER_TRANSPORT_OPTIONS; "
        "print(json.dumps({'var': str(settings.VAR_DIR), 'broker': settings.CELERY_BROKER_URL, "
        "'folders': {k: v for k, v in o.items() if 'folder' in k}}))"
    )
    result = run(ROOT, sys.executable, "-c", f"import django; django.setup(); {script}",
                 DJANGO_SETTINGS_MODULE="asahikawa.settings.local")
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["broker"] == "filesystem://"
    assert {"data_folder_in", "data_folder_out", "processed_folder", "control_folder"} <= set(found["folders"])
    assert all(Path(folder).is_relative_to(found["var"]) for folder in found["folders"].values()), found


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ctrl_c_stops_the_server_and_the_worker_quietly(project):
    """As `make run` serves: the launcher in a terminal (a pty), Ctrl-C typed into it."""
    run(project, "make", "-o", ".venv/.run-deps", "migrate")
    port = _free_port()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the launcher, the foreground process of its terminal
        os.chdir(project)
        os.execve(sys.executable, [sys.executable, "-m", "asahikawa.devserver", f"127.0.0.1:{port}"], local_env())
    output = bytearray()

    def read(seconds, until=None):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until and until()):
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                output.extend(chunk)

    def serving():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
        except OSError:
            return False

    def worker_ready():
        return b"ready." in output

    try:
        read(120, until=lambda: worker_ready() and serving())
        assert serving() and worker_ready(), output.decode(errors="replace")[-3000:]
        mark = len(output)
        os.write(fd, b"\x03")  # Ctrl-C
        read(60)
        _, status = os.waitpid(pid, 0)
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    after = output[mark:].decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, after
    assert "Segmentation fault" not in after and "Traceback" not in after, after
    assert after.count("Warm shutdown") <= 1 and "Ctrl+C again" not in after, after
    assert not serving()
    assert not (project / "control").exists()
    assert (project / ".var" / "broker" / "control").is_dir()
