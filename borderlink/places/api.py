"""REST API of the gazetteer: /api/units/ (list, search, detail, create, update)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request

from borderlink.core.api import RestrictedViewSetMixin
from borderlink.core.permissions import can_under
from borderlink.places.choices import UnitKind
from borderlink.places.lineage import holders_on
from borderlink.places.models import Unit, UnitQuerySet
from borderlink.places.search import matching


def unit_summary(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "kind": unit.kind,
        "country": unit.country,
        "official_code": unit.official_code,
        "names": {
            "vi": unit.name_vi,
            "en": unit.name_en,
            "zh": unit.name_zh,
            "zh_pinyin": unit.name_zh_pinyin,
        },
        "parent": unit.parent.code if unit.parent_id and unit.parent else None,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", queryset=Unit.objects.all(), allow_null=True, required=False
    )
    held_today_by = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "code",
            "kind",
            "country",
            "parent",
            "official_code",
            "official_code_system",
            "native_type",
            "name_vi",
            "name_en",
            "name_zh",
            "name_zh_pinyin",
            "name_sources",
            "valid_from",
            "valid_to",
            "is_border",
            "geometry",
            "area_km2",
            "note",
            "held_today_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at", "held_today_by"]

    def get_held_today_by(self, unit: Unit) -> list[str]:
        return [u.code for u in holders_on(unit, datetime.date.today())]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            if "parent" in attrs and attrs["parent"] != self.instance.parent:
                raise ValidationError(
                    {"parent": _("A unit is never moved: end it and create its successor.")}
                )
            if "code" in attrs and attrs["code"] != self.instance.code:
                raise ValidationError({"code": _("A unit's code never changes.")})
        instance = self.instance or Unit()
        for key, value in attrs.items():
            setattr(instance, key, value)
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            instance.full_clean(exclude=["code"] if self.instance else None)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return attrs


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    country = django_filters.CharFilter()
    parent = django_filters.CharFilter(field_name="parent__code")
    on = django_filters.DateFilter(method="filter_on", label=_("Valid on"))

    class Meta:
        model = Unit
        fields = ["kind", "country", "is_border"]

    # The filter set's queryset is Unit.objects', a UnitQuerySet.
    def filter_q(self, queryset: UnitQuerySet, name: str, value: str) -> QuerySet[Unit]:
        return matching(value, queryset)

    def filter_on(self, queryset: UnitQuerySet, name: str, value: datetime.date) -> QuerySet[Unit]:
        return queryset.valid_on(value)


class UnitViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Unit.objects.select_related("parent").order_by("code")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def check_create_scope(self, request: Request, serializer: serializers.BaseSerializer) -> None:
        parent = serializer.validated_data.get("parent")
        path = parent.path if parent else "/"
        if not can_under(request.user, Unit, "add", path):
            raise PermissionDenied(_("You may not add units there."))
