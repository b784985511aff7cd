"""The demo copy the suite puts back after a transactional test (tests/demo_snapshot.py)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from borderlink.accounts.models import User
from borderlink.places.models import Unit
from borderlink.ties.models import Programme
from tests import demo_snapshot


@pytest.mark.django_db(transaction=True)
def test_the_demo_comes_back_whole_after_the_database_is_emptied() -> None:
    demo_snapshot.ensure_demo()
    units = dict(Unit.objects.values_list("code", "pk"))
    users = sorted(User.objects.values_list("username", flat=True))
    unit_type = ContentType.objects.get_for_model(Unit).pk
    assert units and users

    call_command("flush", interactive=False, verbosity=0)  # as a transactional test ends
    assert not Unit.objects.exists()
    ContentType.objects.get_for_model(Unit)  # the cache now holds flush's new id
    demo_snapshot.ensure_demo()

    assert dict(Unit.objects.values_list("code", "pk")) == units  # the same ids
    assert sorted(User.objects.values_list("username", flat=True)) == users
    assert ContentType.objects.get_for_model(Unit).pk == unit_type  # not the flushed one
    # A new record takes an id past the copied ones: the sequences moved on.
    made = Programme.objects.create(code="t-after-restore", name_vi="Sau")
    assert made.pk > max(Programme.objects.exclude(pk=made.pk).values_list("pk", flat=True) or [0])
    user_ids = list(User.objects.values_list("pk", flat=True))
    assert User.objects.create_user("t-after-restore").pk > max(user_ids)
