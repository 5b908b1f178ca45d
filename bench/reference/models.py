from django.db import models


class Row(models.Model):
    """bench/pages.py creates and fills the table (bench_reference_row)."""

    name = models.CharField(max_length=100)
    amount = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        managed = False
        db_table = "bench_reference_row"
        app_label = "reference"
