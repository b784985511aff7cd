"""Shared API machinery: every viewset goes through the permission gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer

from borderlink.core.context import become
from borderlink.core.permissions import can, restrict

_ACTION_OF_METHOD = {"PUT": "change", "PATCH": "change", "DELETE": "delete"}

if TYPE_CHECKING:  # what the mixin is mixed into, so that its super() calls are checked
    from rest_framework.generics import GenericAPIView

    _ViewSet = GenericAPIView[Any]
else:
    _ViewSet = object


class RestrictedViewSetMixin(_ViewSet):
    """Lists and finds only what the user may view; a write needs the right on the record.

    A record the user may not view answers 404 (its existence is not disclosed); one they may
    view but not change answers 403.
    """

    request: Any

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # The token is read here, after the middleware set the actor from the session: the
        # history of an API write names the token's user.
        if request.user.is_authenticated:
            become(request.user, "api")

    def get_queryset(self) -> Any:
        qs: models.QuerySet = super().get_queryset()
        return restrict(qs, self.request.user, "view")

    def get_object(self) -> Any:
        obj = super().get_object()
        action = _ACTION_OF_METHOD.get(self.request.method or "GET")
        if action and not can(self.request.user, action, obj):
            raise PermissionDenied(_("You may not change this record."))
        return obj

    def check_create_scope(self, request: Request, serializer: BaseSerializer) -> None:
        raise NotImplementedError

    def perform_create(self, serializer: BaseSerializer) -> None:
        self.check_create_scope(self.request, serializer)
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer: BaseSerializer) -> None:
        with transaction.atomic():
            serializer.save()
