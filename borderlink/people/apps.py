from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "borderlink.people"
    label = "people"
    verbose_name = _("People and personal data")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from borderlink.people.ledger_link import count_the_unlinked_scholarships

        post_migrate.connect(
            count_the_unlinked_scholarships, sender=self, dispatch_uid="people-scholarships"
        )
