from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("heartbeat", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="heartbeatstatus", table=None),
        migrations.AlterModelTable(name="heartbeatconfig", table=None),
    ]
