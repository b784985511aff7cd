"""Schemathesis generates requests from the OpenAPI schema: no input may cause a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok

from borderlink.accounts import api_keys
from borderlink.accounts.models import Membership, User
from borderlink.core.roles import Role
from borderlink.places.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
EXAMPLES_PER_OPERATION = 10  # 155 operations: 1,550 requests, among the slowest tests


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Like Django's test client: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_test_connection")
def test_no_generated_request_makes_the_api_fail() -> None:
    editor = User.objects.create_user("t-fuzz-editor")
    Membership.objects.create(
        user=editor, role=Role.FA_EDITOR, unit=Unit.objects.get(code="VN-P02")
    )
    headers = {"Authorization": f"Token {api_keys.issue(editor, 'fuzz')[1]}"}
    document = SchemaGenerator().get_schema(request=None, public=True)
    api = schemathesis.openapi.from_dict(document)
    api.app = WSGIHandler()
    operations = []
    for result in api.get_all_operations():
        assert isinstance(result, Ok), result  # every operation of the schema reads
        operations.append(result.ok())
    assert len(operations) >= 30
    failures: list[str] = []
    calls = 0
    statuses: dict[int, int] = {}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            nonlocal calls
            calls += 1
            response = case.call(headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
                )

        run()
    assert calls >= len(operations) * 5
    assert failures == []
    # Real work, not only refusals: on average one answer in two operations at least is a success.
    assert statuses.get(200, 0) + statuses.get(201, 0) > len(operations) // 2, statuses
    print(
        f"schemathesis: {calls} requests over {len(operations)} operations: {dict(sorted(statuses.items()))}"
    )
