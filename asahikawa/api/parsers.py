"""JSON bodies with a capped size and nesting depth: `[` x 1,000 is a 400 in the one error body,
not a RecursionError (a 500); a body over the cap is a 413, read no further than the cap."""
import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def nesting_depth(data) -> int:
    """How deeply lists and objects nest in parsed JSON (iteratively: no recursion to exhaust)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.PORTAL_API_MAX_JSON_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(_("リクエストの本文が大きすぎます（上限 %(limit)s バイト）。") % {"limit": limit})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=self._reject_constant)
        except RecursionError:
            raise exceptions.ParseError(_("JSONの入れ子が深すぎます。")) from None
        except ValueError as exc:
            raise exceptions.ParseError(_("JSONとして読めません: %(error)s") % {"error": exc}) from None
        if nesting_depth(data) > settings.PORTAL_API_MAX_JSON_DEPTH:
            raise exceptions.ParseError(_("JSONの入れ子が深すぎます。"))
        return data

    @staticmethod
    def _reject_constant(name):
        raise ValueError(f"{name} is not valid JSON")
