"""The city's departments as Django groups. Their permissions are synced after every migrate
from asahikawa.accounts.roles.DEPARTMENT_PERMISSIONS."""
from django.db import migrations

DEPARTMENTS = ["wellness", "child_welfare", "agriculture", "community", "finance"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in DEPARTMENTS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=DEPARTMENTS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
