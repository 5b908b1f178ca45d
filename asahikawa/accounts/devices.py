"""The smartphone app's sign-ins, one token per device: issue, authenticate, list, sign out.

A token ends when its device signs out, when the resident signs it (or all) out on the devices
page or through the API, when the password changes (any way: the stamp no longer matches), and
after PORTAL_API_TOKEN_TTL without use (each use, at most once an hour, moves the expiry on)."""
import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import DeviceToken

logger = logging.getLogger(__name__)
TOUCH_EVERY = datetime.timedelta(hours=1)  # last use and expiry are written at most this often


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_stamp(user) -> str:
    """A keyed digest of the user's password hash: it changes whenever the password does."""
    return salted_hmac("asahikawa.accounts.DeviceToken", user.password, algorithm="sha256").hexdigest()


@transaction.atomic
def device_sign_in(*, user, name: str = "") -> tuple[DeviceToken, str]:
    """A new token for one device; returns the row and the key (shown to the app once, never stored)."""
    now = timezone.now()
    stamp = password_stamp(user)
    # Tidy the user's dead tokens (expired, or from a former password) while we are here.
    DeviceToken.objects.filter(user=user).exclude(expires_at__gt=now, password_stamp=stamp).delete()
    key = secrets.token_hex(20)
    device = DeviceToken.objects.create(
        user=user, digest=_digest(key), name=name[:64], password_stamp=stamp,
        created_at=now, last_used_at=now, expires_at=now + settings.PORTAL_API_TOKEN_TTL,
    )
    logger.info("app token issued", extra={"user_id": user.pk, "device_id": device.pk})
    return device, key


class SignInRefused(Exception):
    """The app's sign-in said no. rate_limited: too many attempts (429); else the one answer for a
    wrong email, a wrong password, and a right password of an account that cannot have a token."""

    def __init__(self, *, rate_limited=False):
        super().__init__("rate limited" if rate_limited else "invalid credentials")
        self.rate_limited = rate_limited


def _may_have_token(user) -> bool:
    from allauth.account.models import EmailAddress

    # Staff work in the browser with TOTP; the app's token is for residents with a verified address.
    return (user.is_active and not user.is_staff
            and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists())


def app_sign_in(request, *, email: str, password: str, name: str = "") -> tuple[DeviceToken, str]:
    """The app's sign-in, under the same attempt limits as the web form (allauth's, in the cache):
    "login" per address, and "login_failed" per address and per account, counted by the address
    asahikawa.clientip gives. A locked account gets no token, even with the right password."""
    from allauth.account.adapter import get_adapter
    from allauth.core import ratelimit
    from django.core.exceptions import ValidationError

    adapter = get_adapter(request)
    credentials = {"email": email.strip().lower(), "password": password}
    if not ratelimit.consume(request, action="login"):
        logger.warning("app sign-in refused: too many attempts from this address", extra={"client_ip": adapter.get_client_ip(request)})
        raise SignInRefused(rate_limited=True)
    try:
        user = adapter.authenticate(request, **credentials)
    except ValidationError:  # allauth's too_many_login_attempts: this account or address is locked
        logger.warning("app sign-in refused: too many failed attempts", extra={"client_ip": adapter.get_client_ip(request)})
        raise SignInRefused(rate_limited=True) from None
    if user is not None and not _may_have_token(user):
        # Answer exactly as for a wrong password, and count it as one: authenticate() gave the
        # attempt back because the password was right.
        try:
            adapter.pre_authenticate(request, email=credentials["email"])
        except ValidationError:
            pass
        user = None
    if user is None:
        raise SignInRefused()
    return device_sign_in(user=user, name=name)


def device_authenticate(*, key: str) -> DeviceToken | None:
    """The live device token of this key (with its user), or None: one query, and a write at most
    once an hour to move its expiry on."""
    if not key or len(key) > 128:
        return None
    device = DeviceToken.objects.select_related("user").filter(digest=_digest(key)).first()
    if device is None:
        return None
    now = timezone.now()
    user = device.user
    if device.expires_at <= now or not user.is_active or not constant_time_compare(
        device.password_stamp, password_stamp(user)
    ):
        DeviceToken.objects.filter(pk=device.pk).delete()
        return None
    if now - device.last_used_at >= TOUCH_EVERY:
        device.last_used_at, device.expires_at = now, now + settings.PORTAL_API_TOKEN_TTL
        DeviceToken.objects.filter(pk=device.pk).update(last_used_at=now, expires_at=device.expires_at)
    return device


def devices_of(user):
    """The user's signed-in devices, most recently used first (dead ones are not listed)."""
    return DeviceToken.objects.filter(user=user, expires_at__gt=timezone.now(), password_stamp=password_stamp(user))


def device_sign_out(*, user, device_id: int) -> None:
    """Sign out one of the user's own devices. Another user's device is DoesNotExist (a 404)."""
    deleted, _ = DeviceToken.objects.filter(user=user, pk=device_id).delete()
    if not deleted:
        raise DeviceToken.DoesNotExist
    logger.info("app device signed out", extra={"user_id": user.pk, "device_id": device_id})


def devices_sign_out_all(*, user, reason: str = "signed out by the user") -> int:
    """Sign out every device of the user (also called when the password changes)."""
    deleted, _ = DeviceToken.objects.filter(user=user).delete()
    if deleted:
        logger.info("app devices signed out", extra={"user_id": user.pk, "count": deleted, "reason": reason})
    return deleted
