from django.db import migrations

from smartcommune.directory.permissions import SYSTEM_ROLES


def sync_system_roles(apps, schema_editor):
    """Give existing system roles the permission codes added since 0002 (e.g. catalog.manage)."""
    Role = apps.get_model("directory", "Role")
    for spec in SYSTEM_ROLES:
        role = Role.objects.filter(code=spec.code, is_system=True).first()
        if role is not None:
            role.permissions = sorted(set(role.permissions) | set(spec.permissions))
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_system_roles")]
    operations = [migrations.RunPython(sync_system_roles, migrations.RunPython.noop)]
