"""`make run`: the embedded default (SQLite, file broker) unless the environment names servers."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
