"""The young-carer support's rows of the access matrix, alone (the whole matrix runs in tests/)."""

import pytest
from django.apps import apps

from tests.test_access_matrix import matrix_failures, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_every_role_gets_what_the_carers_rows_say(world):  # noqa: F811
    rows = apps.get_app_config("carers").access_rows(world)
    failures = matrix_failures(world, rows=rows)
    assert not failures, "\n".join(failures)
