from django.db import migrations

from smartcommune.directory.permissions import SYSTEM_ROLES


def create_system_roles(apps, schema_editor):
    Role = apps.get_model("directory", "Role")
    for spec in SYSTEM_ROLES:
        Role.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en,
                "permissions": list(spec.permissions),
                "is_system": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create_system_roles, migrations.RunPython.noop)]
