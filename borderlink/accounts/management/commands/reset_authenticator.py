from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from borderlink.accounts import twofactor
from borderlink.accounts.models import User


class Command(BaseCommand):
    help = (
        "Forget a user's authenticator app (a lost phone), so that they enrol a new one at their "
        "next login. For the server's operator when no other administrator can do it in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        if twofactor.reset(user, by="command reset-authenticator"):
            self.stdout.write(
                self.style.SUCCESS(
                    f"{user.username} will enrol a new authenticator at the next login."
                )
            )
        else:
            self.stdout.write(f"{user.username} had no authenticator; nothing to reset.")
