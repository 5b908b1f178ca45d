"""The client's address, the one way every part of the portal asks for it (attempt limits of the
web form and the API, logs).

X-Forwarded-For is written by the client and by each proxy on the way, each proxy appending the
address it received the request from. Only the entries appended by the deployment's own proxies
can be believed: with PORTAL_TRUSTED_PROXIES = n, the client is the n-th entry from the right.
With 0 (the default: the portal answers clients directly, as `make run` does) the header is the
client's own words and is ignored.
"""
from django.conf import settings


def client_ip(request) -> str:
    proxies = settings.PORTAL_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            # Fewer entries than proxies: the request skipped an outer proxy; the leftmost entry
            # was still written by one of ours.
            return entries[-min(proxies, len(entries))]
    return request.META.get("REMOTE_ADDR", "")


def from_trusted_proxy(request) -> bool:
    """Whether the deployment declares a proxy in front (so its headers, e.g. X-Request-ID, can be believed)."""
    return settings.PORTAL_TRUSTED_PROXIES > 0
