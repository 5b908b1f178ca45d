"""`make run`: the development server with a Celery worker (and beat) beside it.

Ctrl-C (or SIGTERM) stops both, once each and quietly: the children run in sessions of their own,
so the terminal's Ctrl-C reaches only this launcher, which asks each child (its whole process
group: runserver's autoreloader has a child of its own) to stop with one SIGTERM, waits, and
exits 0. Were the children left in the terminal's process group, each would get the Ctrl-C too
and shut down in its own noisy way (Celery's "hit Ctrl+C again" dance)."""
import os
import signal
import subprocess
import sys
import time

GRACE = 20  # seconds a child has to stop before it is killed


def _stop(children):
    for child in children:
        if child.poll() is None:
            try:
                os.killpg(child.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + GRACE
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    address = argv[0] if argv else "127.0.0.1:8000"
    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    commands = [
        [sys.executable, "-m", "celery", "-A", "asahikawa", "worker", "--beat", "--pool=solo", "--loglevel=INFO"],
        [sys.executable, "manage.py", "runserver", address],
    ]
    children = [subprocess.Popen(command, start_new_session=True) for command in commands]
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        _stop(children)
    if stopping:
        print("\nStopped.", flush=True)
        return 0
    return next(child.returncode for child in children if child.returncode is not None) or 1


if __name__ == "__main__":
    sys.exit(main())
