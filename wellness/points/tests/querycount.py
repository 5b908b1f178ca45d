from contextlib import contextmanager

from django.db import connection


@contextmanager
def count_queries():
    """Counts the SQL statements run inside the block (immune to request_started's reset_queries)."""
    counted = []

    def wrapper(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counted
