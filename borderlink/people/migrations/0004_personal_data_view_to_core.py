# The log of views of personal data is core's now (core 0006): people forgets the model, the
# table stays, and the model's content type follows it to core.

from django.db import migrations


def content_type_to(app_label: str, other: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        old = ContentType.objects.filter(app_label=other, model='personaldataview')
        if ContentType.objects.filter(app_label=app_label, model='personaldataview').exists():
            old.delete()  # made by a migrate of core alone in between: the other one is spare
        else:
            old.update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0006_personal_data_view'),
        ('people', '0003_scholarship_awards'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='PersonalDataView')],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to('core', 'people'), content_type_to('people', 'core')),
    ]
