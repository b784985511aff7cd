"""Recording every view of a person's record (registers' PersonalData.audit hook)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from borderlink.people.models import PersonalDataView


def recorder(model: type[models.Model]) -> Callable[[Any, list[Any], str, set[Any]], None]:
    def record(user: Any, pks: list[Any], how: str, shown: set[Any]) -> None:
        lookup = getattr(model, "scope_path_lookup", "")
        paths = dict(model._default_manager.filter(pk__in=pks).values_list("pk", lookup))
        content_type = ContentType.objects.get_for_model(model)
        PersonalDataView.objects.bulk_create(
            PersonalDataView(
                user=user if getattr(user, "is_authenticated", False) else None,
                username=getattr(user, "username", "") or "",
                content_type=content_type,
                object_id=str(pk),
                how=how,
                revealed=pk in shown,
                scope_path=paths.get(pk) or "",
            )
            for pk in pks
        )

    return record


def views_of(obj: models.Model) -> models.QuerySet[PersonalDataView]:
    return PersonalDataView.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("user")
