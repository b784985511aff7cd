"""The REST endpoint of every register, validated by the register's own form."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.request import Request
from rest_framework.response import Response

from borderlink.core.api import RestrictedViewSetMixin
from borderlink.registers import api_cache, masked_schema, personal, query, write
from borderlink.registers.fields import linked_model, natural_key_field
from borderlink.registers.forms import conflict_message, version_of
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


if TYPE_CHECKING:  # what the mixin is mixed into, so that `fail` is checked
    _Related = serializers.RelatedField[Any, Any, Any]
else:
    _Related = object


class _CheckedByTheForm(_Related):
    """A link as the API carries it (a code, or an id where the record has no code). It looks
    nothing up itself: the register's form does, for the acting user (registers/links.py), so
    an out-of-scope record is refused exactly as a missing one, with the page's message."""

    error_messages: dict[str, Any]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int):
            key = "incorrect_type" if "incorrect_type" in self.error_messages else "invalid"
            self.fail(key, data_type=type(data).__name__)
        return data


class _LinkById(_CheckedByTheForm, serializers.PrimaryKeyRelatedField):
    pass


class _LinkByCode(_CheckedByTheForm, serializers.SlugRelatedField):
    pass


def represent(serializer: Any, instance: Any) -> dict[str, Any]:
    """What DRF's `Serializer.to_representation` answers, read through a plan made once per
    serializer (a page's 50 rows share one): a field that reads a plain column of the record
    reads it with `getattr`, where DRF walked its generic look-up (mappings, callables, missing
    attributes) for each of a page's 1,250 values. A link to one record reads the record's own
    `<link>_id` (sent by id) or the linked record's code (select_related or prefetched), as DRF's
    relation fields answer them; lists of links and anything else go DRF's way."""
    plan: list[tuple[str, Any, str | None, str | None]] | None = serializer.__dict__.get("_plan")
    if plan is None:
        concrete = serializer.Meta.model._meta.concrete_fields
        columns = {f.attname for f in concrete if not f.is_relation}
        # A link to one record (not a list): its id is a column of the record itself.
        links = {f.name: f.attname for f in concrete if f.is_relation and f.many_to_one}
        plan = []
        for field in serializer._readable_fields:
            name: str = field.field_name
            sources = field.source_attrs
            one = len(sources) == 1
            if one and isinstance(field, _LinkById) and sources[0] in links:
                plan.append((name, field, links[sources[0]], _BY_ID))
            elif one and isinstance(field, _LinkByCode) and sources[0] in links:
                if "__" in field.slug_field:  # DRF walks a nested slug itself
                    plan.append((name, field, None, None))
                else:
                    plan.append((name, field, links[sources[0]], sources[0]))
            elif one and not isinstance(field, _NOT_PLAIN) and sources[0] in columns:
                plan.append((name, field, sources[0], None))
            else:
                plan.append((name, field, None, None))
        serializer.__dict__["_plan"] = plan
    data: dict[str, Any] = {}
    for name, field, column, link in plan:
        if column is not None:
            value = getattr(instance, column)
            if value is None:
                data[name] = None
            elif link is None:
                data[name] = field.to_representation(value)
            elif link is _BY_ID:
                data[name] = value  # PrimaryKeyRelatedField answers the linked record's pk
            else:  # SlugRelatedField answers the linked record's slug field
                data[name] = getattr(getattr(instance, link), field.slug_field)
            continue
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            continue
        check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        data[name] = None if check is None else field.to_representation(attribute)
    return data


# The plan's mark for a link sent by id: the record's own `<link>_id` column is the answer.
_BY_ID = "<id>"
_NOT_PLAIN = (serializers.RelatedField, serializers.ManyRelatedField, serializers.BaseSerializer)


@cache
def serializer_class(spec: Register) -> type[serializers.ModelSerializer]:
    attrs: dict[str, Any] = {}
    for name in spec.fields:
        field = spec.model_field(name)
        if field.is_relation:
            related = linked_model(field)
            key = natural_key_field(related)
            options: dict[str, Any] = {
                # Typed for the schema and shown by code; never searched (see _CheckedByTheForm).
                "queryset": related._default_manager.none(),
                "many": bool(field.many_to_many),
                "required": False,
                "allow_null": not field.many_to_many,
            }
            attrs[name] = (
                _LinkById(**options) if key == "pk" else _LinkByCode(slug_field=key, **options)
            )

    def get_fields(self: Any) -> dict[str, Any]:
        return masked_schema.describe_masking(spec, serializers.ModelSerializer.get_fields(self))

    def to_representation(self: Any, instance: Any) -> Any:
        data = represent(self, instance)
        if spec.personal is None:
            return data
        user = self.context["request"].user
        # A list page asked and audited once for all its records (the viewset's
        # paginate_queryset); a single record asks here.
        shown = self.context.get("revealed")
        if shown is None:
            shown = personal.revealed(spec, user, [instance.pk])
            personal.audit(spec, user, [instance.pk], "api", shown)
        for name in spec.personal.fields:
            if name in data:
                data[name] = personal.mask(spec, name, data[name], instance.pk in shown)
        return data

    meta = type(
        "Meta",
        (),
        {"model": spec.model, "fields": ["id", *spec.fields, "created_at", "updated_at"]},
    )
    attrs.update(
        {
            "Meta": meta,
            "get_fields": get_fields,
            "to_representation": to_representation,
        }
    )
    return type(f"{spec.model.__name__}Serializer", (serializers.ModelSerializer,), attrs)


class _Conflict(Exception):
    def __init__(self, current: Any) -> None:
        super().__init__()
        self.current = current


def _versions_sent(request: Request, instance: Any) -> list[str] | None:
    """Optimistic concurrency: the versions a client says it edits (If-Match: the ETag of its
    GET, or the record's `updated_at` sent back); None when it names none (it saves as before)."""
    expected = request.headers.get("If-Match", "").strip()
    if expected:
        if expected == "*":
            return None
        return [t.strip().removeprefix("W/").strip('"') for t in expected.split(",")]
    sent = request.data.get("updated_at") if hasattr(request.data, "get") else None
    if sent:
        stamp = parse_datetime(str(sent))
        if stamp is None or stamp.tzinfo is None:
            return ["!"]  # names no version: refused as changed
        return [version_of(SimpleNamespace(updated_at=stamp))]
    return None


def _names_a_version(request: Request) -> bool:
    if request.headers.get("If-Match", "").strip():
        return True
    return bool(request.data.get("updated_at")) if hasattr(request.data, "get") else False


def _written(outcome: write.Outcome) -> Any:
    """The saved record, or the refusal as the API answers it: 403 from the gate, 400 else."""
    if outcome.saved is not None:
        return outcome.saved
    errors = outcome.errors
    if outcome.denied:
        raise PermissionDenied(" ".join(m for messages in errors.values() for m in messages))
    raise ValidationError(
        {k if k != "__all__" else "non_field_errors": v for k, v in errors.items()}
    )


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

        revealed: set[Any] | None = None  # a list page's records shown unmasked
        kept: api_cache.Lookup | None = None  # this request's place in the answers kept

        def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
            super().initial(request, *args, **kwargs)  # authenticated: the user is known
            # The snapshot is taken here, before the view reads a record. A register with
            # personal data is never kept: each showing writes its audit row (personal.py).
            if spec.personal is None and self.action in ("list", "retrieve"):
                self.kept = api_cache.look_up(request, spec.model)

        def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return super().dispatch(request, *args, **kwargs)
            finally:
                if self.kept is not None:
                    api_cache.done(self.kept)  # others waiting for this answer go on

        def finalize_response(
            self, request: Request, response: Any, *args: Any, **kwargs: Any
        ) -> Any:
            response = super().finalize_response(request, response, *args, **kwargs)
            if self.kept is not None and self.kept.hit is None:
                api_cache.keep(self.kept, request, response)
            return response

        def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
            if self.kept is not None and self.kept.hit is not None:
                return self.kept.hit.response()
            return super().list(request, *args, **kwargs)

        def get_queryset(self) -> Any:
            return query.listing(
                spec,
                query.apply(
                    spec, super().get_queryset(), self.request.query_params, self.request.user
                ),
            )

        def get_object(self) -> Any:
            found = super().get_object()
            query.fetch_links(spec, [found])
            return found

        def paginate_queryset(self, queryset: Any) -> Any:
            page = super().paginate_queryset(queryset)
            if page is not None:
                query.fetch_links(spec, page)
            if page is not None and spec.personal is not None:
                pks = [obj.pk for obj in page]
                self.revealed = personal.revealed(spec, self.request.user, pks)
                personal.audit(spec, self.request.user, pks, "api", self.revealed)
            return page

        def get_serializer_context(self) -> dict[str, Any]:
            context = dict(super().get_serializer_context())
            if self.revealed is not None:
                context["revealed"] = self.revealed
            return context

        def perform_create(self, serializer: Any) -> None:
            serializer.instance = _written(
                write.save(spec, self.request.user, _form_data(spec, self.request.data, None))
            )

        def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
            if self.kept is not None and self.kept.hit is not None:
                return self.kept.hit.response()
            response = super().retrieve(request, *args, **kwargs)
            response["ETag"] = f'"{version_of(self.get_object())}"'
            return response

        def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            self.get_object()  # a record out of reach answers 404 (or 403) first
            if isinstance(request.data, Mapping) and not _names_a_version(request):
                # A change that names no version would overwrite whatever was saved since the
                # client read the record: refused (RFC 6585), as the page's form refuses it.
                return Response(
                    {
                        "detail": _(
                            "Say which version of the record you change: send If-Match with "
                            "the ETag of your GET (or the record's updated_at; If-Match: * "
                            "replaces whatever is there). Nothing was saved."
                        )
                    },
                    status=status.HTTP_428_PRECONDITION_REQUIRED,
                )
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
            instance = serializer.instance
            outcome = write.save(
                spec,
                self.request.user,
                _form_data(spec, self.request.data, instance),
                instance=instance,
                version=write.etag_version(_versions_sent(self.request, instance)),
            )
            if outcome.conflict is not None:
                raise _Conflict(outcome.conflict)
            serializer.instance = _written(outcome)

    RegisterViewSet.__name__ = f"{spec.model.__name__}ViewSet"
    RegisterViewSet.__qualname__ = RegisterViewSet.__name__
    return RegisterViewSet
