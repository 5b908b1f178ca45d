"""`make test`: the same settings, tasks run in-process unless a test starts a real worker."""
from .base import *  # noqa: F401,F403
from .base import REDIS_URL

DEBUG = False
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Private documents written by the tests go to a folder of their own.
from .base import STORAGES, VAR_DIR  # noqa: E402

STORAGES = {**STORAGES, "private": {"BACKEND": "asahikawa.uploads.PrivateFileSystemStorage",
                                    "OPTIONS": {"location": str(VAR_DIR / "test-private")}}}
