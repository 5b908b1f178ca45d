"""Path converters every app's URLs use (registered when asahikawa.areas is imported, that is
before any urls.py):

- `<id:pk>`: a database id, 1 to 18 digits. Any such number fits a 64-bit integer, so a huge id
  in a URL is a 404 at the URL, before it could overflow a query (SQLite's and PostgreSQL's
  integers are 64-bit).
- `<year:year>`: a year, four ASCII digits (a fiscal year: 2023).
"""
from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


class YearConverter(IdConverter):
    regex = "[0-9]{4}"


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
