import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Submission",
            fields=[
                ("uuid", models.UUIDField(primary_key=True, serialize=False)),
                ("register", models.CharField(max_length=64, verbose_name="register")),
                ("record_id", models.BigIntegerField(null=True, verbose_name="record")),
                ("saved_at", models.DateTimeField(auto_now_add=True, verbose_name="saved at")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "field app submission",
                "verbose_name_plural": "field app submissions",
            },
        ),
    ]
