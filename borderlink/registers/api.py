"""The REST endpoint of every register, validated by the register's own form."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from borderlink.core.api import RestrictedViewSetMixin
from borderlink.core.permissions import can_under
from borderlink.registers import personal, query
from borderlink.registers.fields import natural_key_field
from borderlink.registers.forms import conflict_message, form_class, version_of
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
        data = self.initial_data
        if spec.personal is not None and not _may_write_personal(self):
            # Like the page: personal data is neither shown nor changed without the grant.
            data = {k: v for k, v in data.items() if k not in spec.personal.fields}
        form = form_class(spec)(data=_form_data(spec, data, self.instance), instance=self.instance)
        if not form.is_valid():
            raise ValidationError(
                {
                    k if k != "__all__" else "non_field_errors": [str(m) for m in v]
                    for k, v in form.errors.items()
                }
            )
        if (
            spec.personal is not None
            and self.instance is None
            and any(form.cleaned_data.get(n) for n in spec.personal.fields)
            and not personal.may_enter(
                spec, self.context["request"].user, spec.unit_of(form.cleaned_data)
            )
        ):
            raise PermissionDenied(_("You may not record personal data here."))
        self._register_form = form
        return attrs_

    def to_representation(self: Any, instance: Any) -> Any:
        data = serializers.ModelSerializer.to_representation(self, instance)
        if spec.personal is None:
            return data
        user = self.context["request"].user
        shown = personal.revealed(spec, user, [instance.pk])
        for name in spec.personal.fields:
            if name in data:
                data[name] = personal.mask(spec, name, data[name], instance.pk in shown)
        personal.audit(spec, user, [instance.pk], "api", shown)
        return data

    def _may_write_personal(self: Any) -> bool:
        user = self.context["request"].user
        if self.instance is not None:
            return bool(personal.revealed(spec, user, [self.instance.pk]))
        return personal.may_enter(spec, user)

    def save(self: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            self.instance = self._register_form.save()
        return self.instance

    meta = type(
        "Meta",
        (),
        {"model": spec.model, "fields": ["id", *spec.fields, "created_at", "updated_at"]},
    )
    attrs.update(
        {
            "Meta": meta,
            "validate": validate,
            "save": save,
            "to_representation": to_representation,
        }
    )
    return type(f"{spec.model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


class _Conflict(Exception):
    def __init__(self, current: Any) -> None:
        super().__init__()
        self.current = current


def _version_matches(request: Request, current: Any) -> bool:
    """Optimistic concurrency: a client that names the version it edits (If-Match: the ETag of
    its GET, or the record's `updated_at` sent back) is refused when the record has changed
    since. A client naming none saves as before."""
    expected = request.headers.get("If-Match", "").strip()
    if expected:
        if expected == "*":
            return True
        tags = [t.strip().removeprefix("W/").strip('"') for t in expected.split(",")]
        return version_of(current) in tags
    sent = request.data.get("updated_at") if hasattr(request.data, "get") else None
    if sent:
        stamp = parse_datetime(str(sent))
        return stamp is not None and stamp == getattr(current, "updated_at", None)
    return True


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
            return query.apply(
                spec, super().get_queryset(), self.request.query_params, self.request.user
            )

        def check_create_scope(self, request: Request, serializer: Any) -> None:
            unit = spec.unit_of(serializer._register_form.cleaned_data)
            if unit is not None and not can_under(request.user, spec.model, "add", unit.path):
                raise PermissionDenied(_("You may not record this for %(unit)s.") % {"unit": unit})

        def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            response = super().retrieve(request, *args, **kwargs)
            response["ETag"] = f'"{version_of(self.get_object())}"'
            return response

        def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            try:
                response = super().update(request, *args, **kwargs)
            except _Conflict as conflict:
                current = conflict.current
                return Response(
                    {
                        "detail": conflict_message(current, api=True),
                        "current": self.get_serializer(current).data,
                    },
                    status=status.HTTP_409_CONFLICT,
                    headers={"ETag": f'"{version_of(current)}"'},
                )
            response["ETag"] = f'"{version_of(self.get_object())}"'
            return response

        def perform_update(self, serializer: Any) -> None:
            unit = spec.unit_of(serializer._register_form.cleaned_data)
            if unit is not None and not can_under(
                self.request.user, spec.model, "change", unit.path
            ):
                raise PermissionDenied(_("You may not record this for %(unit)s.") % {"unit": unit})
            with transaction.atomic():
                # Locked, then compared: a save in between cannot slip past the check.
                current = spec.model._default_manager.select_for_update().get(
                    pk=serializer.instance.pk
                )
                if not _version_matches(self.request, current):
                    raise _Conflict(current)
                serializer.save()

    RegisterViewSet.__name__ = f"{spec.model.__name__}ViewSet"
    RegisterViewSet.__qualname__ = RegisterViewSet.__name__
    return RegisterViewSet
