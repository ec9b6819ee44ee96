"""The OpenAPI description, generated from the route table and the pydantic schemas."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ._route import IDEMPOTENCY_HEADER, SYNC_ORIGIN_HEADER, Route
from ._schemas import ErrorBody, Strict

REF = "#/components/schemas/{model}"


def _path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _operation(route: Route) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", route.rule)
    ]
    params += [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in route.query
    ]
    if route.method != "GET":
        params.append(
            {
                "name": SYNC_ORIGIN_HEADER,
                "in": "header",
                "required": False,
                "description": '"connector" flags the resulting change-feed entries',
                "schema": {"type": "string", "enum": ["app", "connector"]},
            }
        )
    if route.method == "POST":
        params.append(
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": False,
                "description": "A repeated key answers the first answer again",
                "schema": {"type": "string"},
            }
        )
    op: dict[str, Any] = {"operationId": route.name, "summary": route.summary}
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {
            "required": not route.body_optional,
            "content": {"application/json": {"schema": _ref(route.body)}},
        }
    if route.response is None:
        schema: dict[str, Any] = {"type": "object"}
    elif route.many:
        schema = {"type": "array", "items": _ref(route.response)}
    else:
        schema = _ref(route.response)
    error = {"content": {"application/json": {"schema": _ref(ErrorBody)}}}
    op["responses"] = {
        str(route.status): {
            "description": "OK",
            "content": {"application/json": {"schema": schema}},
        },
        "4XX": {"description": "Refused; nothing was changed", **error},
    }
    return op


def openapi_document(routes: Iterable[Route]) -> dict[str, Any]:
    """The OpenAPI 3.1 description of ``routes`` (the served table is ``ROUTES``)."""
    routes = tuple(routes)
    models: list[type[BaseModel]] = [ErrorBody]
    for route in routes:
        for model in (route.body, route.response):
            if model is not None and model not in models:
                models.append(model)
    modes = [(m, "validation" if _is_input(m) else "serialization") for m in models]
    _, defs = models_json_schema(modes, ref_template=REF)  # type: ignore[arg-type]
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(_path(route.rule), {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qbwc-harness fake field-service app",
            "version": "1",
            "description": "An in-memory field-service app (Zuper-like) for sync testing. "
            'Money is a decimal string; errors are {"error": {"code", "message"}}.',
        },
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {})},
    }


def _is_input(model: type[BaseModel]) -> bool:
    return issubclass(model, Strict)


def openapi_json(routes: Iterable[Route]) -> str:
    """The document as committed in docs/fake_fieldservice-openapi.json (for ``ROUTES``)."""
    return json.dumps(openapi_document(routes), indent=2, sort_keys=True) + "\n"
