"""Which records a link field offers and accepts: those the acting user may view, through the gate.

Every form, API serializer, import and picker of a register asks here, so a record the user may
not see can neither be chosen nor linked, and no error message can name it: out of scope reads
the same as "no such record".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from borderlink.core.permissions import clearance, restrict, scope, sensitivity_lookup
from borderlink.registers.spec import Register


def related_model(spec: Register, name: str) -> type[models.Model]:
    """The model the link field `name` of `spec` points to (ValueError if it is not a link)."""
    field = spec.model_field(name)
    model = field.related_model
    if not field.is_relation or not isinstance(model, type):
        raise ValueError(f"{spec.slug}.{name} is not a link to another record")
    return model


def choices(spec: Register, name: str, user: Any, keep: models.Model | None = None) -> Any:
    """The records the link field `name` of `spec` offers and accepts for `user`: the related
    model's records the user may view (units are reference data every role may view).

    `keep`: a record being edited; what it links to already stays acceptable, so an officer can
    save their own record that the province linked to something outside their scope (they
    already see its code on the form; they cannot link anything else hidden).
    """
    model = related_model(spec, name)
    offered = of_model(model, user)
    kept = _linked(spec, name, keep)
    if not kept:
        return offered
    return model._default_manager.filter(
        models.Q(pk__in=offered.values("pk")) | models.Q(pk__in=kept)
    )


def of_model(model: type[models.Model], user: Any) -> Any:
    """The records of `model` a user may link to: what the gate lets them view, and for a model
    that says so (`links_from_below`: an agreement, partnership or mechanism of a unit frames
    the work of the units under it) those of the units above the user's own, within their
    clearance. A district officer records a labour registration under the province's
    agreement; they cannot link another district's."""
    viewable = restrict(model._default_manager.all(), user, "view")
    if not getattr(model, "links_from_below", False):
        return viewable
    everywhere, reaches = scope(user, model, "view")
    above = {
        ancestor
        for reach in reaches
        for path in (reach.own, *reach.plus)
        for ancestor in _ancestors(path)
    }
    if everywhere or not above:
        return viewable
    lookup = model.scope_path_lookup  # type: ignore[attr-defined]
    framing = model._default_manager.filter(**{f"{lookup}__in": above})
    level = sensitivity_lookup(model)
    if level is not None:
        framing = framing.filter(**{f"{level}__lte": clearance(user)})
    return model._default_manager.filter(
        models.Q(pk__in=viewable.values("pk")) | models.Q(pk__in=framing.values("pk"))
    )


def _ancestors(path: str) -> list[str]:
    """ "/1/4/94/" → ["/1/", "/1/4/"]: the paths of the units above."""
    ids = path.strip("/").split("/")
    return ["/" + "/".join(ids[:n]) + "/" for n in range(1, len(ids))]


def _linked(spec: Register, name: str, record: models.Model | None) -> list[Any]:
    if record is None or record.pk is None:
        return []
    field = spec.model_field(name)
    if field.many_to_many:
        return list(getattr(record, name).values_list("pk", flat=True))
    value = getattr(record, field.attname, None)
    return [] if value is None else [value]


class Seen:
    """Whether a user may see a linked record named on a page: what they could link. A record
    linked by someone with wider access (a province's editor) is not named to a district
    officer. Asked once per record; models the user sees whole cost no query."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._whole: dict[type[models.Model], bool] = {}
        self._answers: dict[tuple[type[models.Model], Any], bool] = {}

    def _sees_whole(self, model: type[models.Model]) -> bool:
        if model not in self._whole:
            everywhere, _reaches = scope(self.user, model, "view")
            self._whole[model] = everywhere and sensitivity_lookup(model) is None
        return self._whole[model]

    def __call__(self, record: models.Model) -> bool:
        model = type(record)
        if self._sees_whole(model):
            return True
        key = (model, record.pk)
        if key not in self._answers:
            self._answers[key] = of_model(model, self.user).filter(pk=record.pk).exists()
        return self._answers[key]

    def prime(self, records: Iterable[models.Model]) -> None:
        """Answer for all of `records` at once, one query per model (a list page's links)."""
        wanted: dict[type[models.Model], set[Any]] = {}
        for record in records:
            model = type(record)
            if not self._sees_whole(model) and (model, record.pk) not in self._answers:
                wanted.setdefault(model, set()).add(record.pk)
        for model, pks in wanted.items():
            found = set(of_model(model, self.user).filter(pk__in=pks).values_list("pk", flat=True))
            self._answers.update({(model, pk): pk in found for pk in pks})
