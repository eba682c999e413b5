"""The shipped JSON Schema agrees with the loader: every document load_rules accepts is valid.

No JSON Schema library is a cs8 dependency, so this module checks documents with a small validator
of the keywords the schema uses (draft 2020-12 semantics: booleans are not numbers, 1 == 1.0)."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import RuleError
from cs8.routing import load_rules, rules_schema
from tests.routing.test_rules_fuzz import documents, keys, paths, random_json

SCHEMA = rules_schema()


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def json_equal(a: Any, b: Any) -> bool:
    if json_type(a) != json_type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def has_type(value: Any, wanted: str) -> bool:
    if wanted == "integer":
        return json_type(value) == "number" and float(value).is_integer()
    return json_type(value) == wanted


def valid(value: Any, schema: Any) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        if not valid(value, SCHEMA["$defs"][name]):
            return False
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(has_type(value, t) for t in types):
            return False
    if "const" in schema and not json_equal(value, schema["const"]):
        return False
    if "enum" in schema and not any(json_equal(value, e) for e in schema["enum"]):
        return False
    if "oneOf" in schema and sum(valid(value, s) for s in schema["oneOf"]) != 1:
        return False
    if "anyOf" in schema and not any(valid(value, s) for s in schema["anyOf"]):
        return False
    if "not" in schema and valid(value, schema["not"]):
        return False
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        if len(value) < schema.get("minLength", 0):
            return False
    if json_type(value) == "number":
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return False
        if len(value) > schema.get("maxItems", len(value)):
            return False
        if "items" in schema and not all(valid(v, schema["items"]) for v in value):
            return False
        if schema.get("uniqueItems") and any(
            json_equal(a, b) for i, a in enumerate(value) for b in value[i + 1 :]
        ):
            return False
    if isinstance(value, dict):
        if any(k not in value for k in schema.get("required", [])):
            return False
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                if not valid(v, props[k]):
                    return False
            elif "additionalProperties" in schema and not valid(v, schema["additionalProperties"]):
                return False
            if "propertyNames" in schema and not valid(k, schema["propertyNames"]):
                return False
    return True


def loads(doc: Any) -> bool:
    try:
        load_rules(doc)
    except RuleError:
        return False
    return True


@given(documents())
def test_every_generated_valid_document_is_schema_valid(doc: Any) -> None:
    assert valid(doc, SCHEMA)


@given(documents(), st.data())
def test_document_the_loader_accepts_is_schema_valid(doc: Any, data: st.DataObject) -> None:
    doc = copy.deepcopy(doc)
    path = data.draw(st.sampled_from(paths(doc)))
    if path:
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            parent[data.draw(keys)] = data.draw(random_json)
        else:
            parent[path[-1]] = data.draw(random_json)
    assert not loads(doc) or valid(doc, SCHEMA)


@pytest.mark.parametrize(
    "doc",
    [
        {"rules": [], "extra": 1},
        {"rules": [{"name": "r"}]},
        {"rules": [{"name": "r", "actions": {"skills": {"a": -1}}}]},
        {
            "rules": [
                {
                    "name": "r",
                    "actions": {},
                    "when": {"field": "ticket.channel", "op": "has", "value": "x"},
                }
            ]
        },
        {"rules": [{"name": "r", "actions": {"escalation": [{"after": "PT"}]}}]},
        {"rules": [{"name": "r", "actions": {"priority": "high", "priority_change": 1}}]},
        {"version": True, "rules": []},
        # Found by the property test above (thorough profile): the loader took a null skip_if.
        {
            "rules": [
                {
                    "name": "r",
                    "actions": {"escalation": [{"after": 1, "queue": "q", "skip_if": None}]},
                }
            ]
        },
    ],
)
def test_schema_rejects_what_the_loader_rejects(doc: Any) -> None:
    assert (valid(doc, SCHEMA), loads(doc)) == (False, False)


def test_schema_accepts_a_full_document() -> None:
    doc = {
        "$schema": "https://cs8.invalid/schemas/routing-rules-1.json",
        "version": 1,
        "rules": [
            {
                "name": "vip-refunds",
                "when": {
                    "all": [
                        {"field": "customer.segment", "op": "equals", "value": "vip"},
                        {"field": "ticket.attributes.amount", "op": "between", "value": [10, 99]},
                        {
                            "not": {
                                "field": "sla.first_reply.remaining",
                                "op": "lt",
                                "value": "PT15M",
                            }
                        },
                        {"plugin": "business_hours_only", "args": {"start": 8}},
                    ]
                },
                "actions": {
                    "queue": "vip",
                    "priority": "high",
                    "skills": {"refunds": 3},
                    "escalation": [{"after": "PT20M", "relax_skills": 1, "business_hours": True}],
                },
            },
            {"plugin": "vip_first"},
        ],
        "default": {"queue": "general"},
    }
    assert valid(doc, SCHEMA)
