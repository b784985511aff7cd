from django.db import migrations


class Migration(migrations.Migration):
    """DRF's `authtoken` app is gone (API keys are kept as digests, accounts/api_keys.py); its
    table, where databases from before still hold working tokens in plain text, goes with it."""

    dependencies = [("accounts", "0004_api_keys")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
