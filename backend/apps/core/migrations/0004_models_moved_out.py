"""Trade part dans apps.orders, HeartbeatStatus et HeartbeatConfig dans apps.heartbeat : état seulement."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_trade"),
        ("heartbeat", "0001_initial"),
        ("webhooks", "0002_trade_in_orders"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Trade"),
                migrations.DeleteModel(name="HeartbeatStatus"),
                migrations.DeleteModel(name="HeartbeatConfig"),
            ],
        ),
    ]
