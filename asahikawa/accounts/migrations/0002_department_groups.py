"""The city's departments as Django groups. The groups and their permissions are made after every
migrate by asahikawa.accounts.roles.sync_department_permissions, from asahikawa/departments.py and
the apps' declarations; this migration, kept for the history, does nothing more."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = []
