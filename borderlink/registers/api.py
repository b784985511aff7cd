"""The REST endpoint of every register, validated by the register's own form."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request

from borderlink.core.api import RestrictedViewSetMixin
from borderlink.core.permissions import can_under
from borderlink.registers import query
from borderlink.registers.fields import natural_key_field
from borderlink.registers.forms import form_class
from borderlink.registers.spec import Register


def _form_data(spec: Register, data: Any, instance: Any) -> dict[str, Any]:
    """API JSON → form data: lists of codes become the form's "a; b" text."""
    merged: dict[str, Any] = {}
    if instance is not None:  # PATCH: start from the record as it is
        from borderlink.registers.tabular import cell_value

        merged = {name: cell_value(spec, instance, name) for name in spec.fields}
        for name in spec.fields:
            field = spec.model_field(name)
            if (
                not (field.is_relation or field.choices)
                and getattr(field, "get_internal_type", None)
                and field.get_internal_type() == "BooleanField"
            ):
                merged[name] = getattr(instance, name)
    for key, value in data.items():
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        merged[key] = value
    return {k: ("" if v is None else v) for k, v in merged.items()}


@cache
def serializer_class(spec: Register) -> type[serializers.ModelSerializer]:
    attrs: dict[str, Any] = {}
    for name in spec.fields:
        field = spec.model_field(name)
        if field.is_relation:
            key = natural_key_field(field.related_model)  # type: ignore[arg-type]
            related = field.related_model._default_manager.all()  # type: ignore[union-attr]
            options: dict[str, Any] = {
                "queryset": related,
                "many": bool(field.many_to_many),
                "required": False,
                "allow_null": not field.many_to_many,
            }
            attrs[name] = (
                serializers.PrimaryKeyRelatedField(**options)
                if key == "pk"
                else serializers.SlugRelatedField(slug_field=key, **options)
            )

    def validate(self: Any, attrs_: dict[str, Any]) -> dict[str, Any]:
        form = form_class(spec)(
            data=_form_data(spec, self.initial_data, self.instance), instance=self.instance
        )
        if not form.is_valid():
            raise ValidationError(
                {
                    k if k != "__all__" else "non_field_errors": [str(m) for m in v]
                    for k, v in form.errors.items()
                }
            )
        self._register_form = form
        return attrs_

    def save(self: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            self.instance = self._register_form.save()
        return self.instance

    meta = type(
        "Meta",
        (),
        {"model": spec.model, "fields": ["id", *spec.fields, "created_at", "updated_at"]},
    )
    attrs.update({"Meta": meta, "validate": validate, "save": save})
    return type(f"{spec.model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


def viewset_class(spec: Register) -> type[viewsets.GenericViewSet]:
    class RegisterViewSet(
        RestrictedViewSetMixin,
        mixins.ListModelMixin,
        mixins.RetrieveModelMixin,
        mixins.CreateModelMixin,
        mixins.UpdateModelMixin,
        viewsets.GenericViewSet,
    ):
        queryset = spec.model._default_manager.all()
        serializer_class = globals()["serializer_class"](spec)
        filter_backends: list[Any] = []

        def get_queryset(self) -> Any:
            return query.apply(spec, super().get_queryset(), self.request.query_params)

        def check_create_scope(self, request: Request, serializer: Any) -> None:
            unit = spec.unit_of(serializer._register_form.cleaned_data)
            if unit is not None and not can_under(request.user, spec.model, "add", unit.path):
                raise PermissionDenied(_("You may not record this for %(unit)s.") % {"unit": unit})

        def perform_update(self, serializer: Any) -> None:
            unit = spec.unit_of(serializer._register_form.cleaned_data)
            if unit is not None and not can_under(
                self.request.user, spec.model, "change", unit.path
            ):
                raise PermissionDenied(_("You may not record this for %(unit)s.") % {"unit": unit})
            serializer.save()

    RegisterViewSet.__name__ = f"{spec.model.__name__}ViewSet"
    RegisterViewSet.__qualname__ = RegisterViewSet.__name__
    return RegisterViewSet
