"""The API answers what its schema says and refuses malformed input with a 400, over every
register: masked personal fields fit the schema; `page` is a whole number given once; a body
that is not a JSON object changes nothing."""

from __future__ import annotations

import datetime
import json
from typing import Any

import jsonschema
import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from borderlink.accounts.models import User
from borderlink.people.models import LabourRegistration
from borderlink.places.models import Unit
from borderlink.registers.personal import MASK
from borderlink.registers.spec import registers
from borderlink.ties.models import Agreement

pytestmark = pytest.mark.django_db


def _json_schema(node: Any, components: dict[str, Any]) -> Any:
    """OpenAPI 3.0 → JSON Schema: references inlined, `nullable` as a null alternative."""
    if isinstance(node, list):
        return [_json_schema(n, components) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    out = {k: _json_schema(v, components) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def test_masked_personal_fields_fit_the_schema(vixuyen_officer: User) -> None:
    """A district officer sees labour registrations of the district with identities masked:
    every answer validates against the schema the API publishes, dates checked as dates."""
    LabourRegistration.objects.create(
        agreement=Agreement.objects.filter(domain="labour").earliest("pk"),
        home_unit=Unit.objects.get(code="VN-D030"),
        home_commune=Unit.objects.get(code="VN-C00928"),
        full_name="Vàng Thị Dợ",
        id_number="002199887766",
        birth_date=datetime.date(1990, 1, 2),
        status="working",
    )
    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document["components"]["schemas"]
    client = Client()
    client.force_login(vixuyen_officer)
    checked = masked = 0
    for spec in registers():
        if spec.personal is None:
            continue
        answer = client.get(f"/api/{spec.slug}/")
        assert answer.status_code == 200, spec.slug
        schema = _json_schema(components[spec.model.__name__], components)
        for record in answer.json()["results"]:
            jsonschema.validate(record, schema, format_checker=jsonschema.FormatChecker())
            checked += 1
            masked += sum(record.get(name) == MASK for name in spec.personal.fields)
    assert checked and masked  # the check met masked values, dates among them


def _first(client: Client, slug: str) -> Any:
    results = client.get(f"/api/{slug}/").json()["results"]
    return results[0] if results else None


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page=1.5",
        "page=%7B%22a%22%3A1%7D",
        "page=1&page=2",
        "page[a]=1",
        "page[]=1",
        "page=%EF%BC%91",
        "page=9999999999999",
    ],
)
def test_a_malformed_page_is_a_400(query: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    for endpoint in ("/api/activities/", "/api/units/"):
        answer = client.get(f"{endpoint}?{query}")
        assert answer.status_code == 400, (endpoint, query)
        assert "page" in answer.json()


def test_page_numbers_still_work() -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    first = client.get("/api/units/?page=1").json()
    assert first["count"] > 100 and first["next"]
    assert client.get("/api/units/").json() == first
    second = client.get("/api/units/?page=2").json()
    assert second["results"] and second["results"] != first["results"]
    assert client.get("/api/units/?page=last").status_code == 200
    assert client.get("/api/units/?page=100000").status_code == 404  # past the end


@pytest.mark.parametrize("body", [[], [{"title": "x"}], [1, 2], "text", 5, True])
def test_a_body_that_is_not_an_object_is_a_400_and_changes_nothing(body: Any) -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    slugs = ["units", *(spec.slug for spec in registers())]
    tried = 0
    for slug in slugs:
        record = _first(client, slug)
        if record is None:
            continue
        key = record.get("id", record.get("code"))
        for method in (client.patch, client.put):
            answer = method(
                f"/api/{slug}/{key}/", data=json.dumps(body), content_type="application/json"
            )
            assert answer.status_code == 400, (slug, method.__name__, answer.content[:200])
        after = client.get(f"/api/{slug}/{key}/").json()
        assert after == record, slug
        assert client.post(
            f"/api/{slug}/", data=json.dumps(body), content_type="application/json"
        ).status_code in (400, 403, 405), slug
        tried += 1
    assert tried >= 10
