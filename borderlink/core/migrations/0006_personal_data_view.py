# The log of views of personal data moves from people to core (registers/personal.py writes it
# for every register with personal data). Its table stays where it is: state only.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0005_scheduled_run'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PersonalDataView',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('time', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                        ('username', models.CharField(max_length=150, verbose_name='user name')),
                        ('object_id', models.CharField(max_length=64)),
                        ('how', models.CharField(choices=[('detail', 'Record page'), ('list', 'List page'), ('export', 'Export'), ('api', 'API')], max_length=8, verbose_name='how')),
                        ('revealed', models.BooleanField(verbose_name='identity shown')),
                        ('scope_path', models.CharField(blank=True, db_index=True, max_length=255)),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'view of personal data',
                        'verbose_name_plural': 'views of personal data',
                        'db_table': 'people_personaldataview',
                        'ordering': ['-time', '-id'],
                        'indexes': [models.Index(fields=['content_type', 'object_id'], name='people_pers_content_33ed9e_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
