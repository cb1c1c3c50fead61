"""Checking emulator responses against the WATS server's own OpenAPI description.

The bundled specs (spec/*.json) are the contract. Two readings of them are ours:

* A schema that is exactly {"type": "object"} is how the server's generator writes
  "untyped" (IHttpActionResult). Lists come back under it (e.g. /api/App/Processes),
  so it accepts any JSON value.
* By default object schemas with declared properties reject undeclared ones, so a
  misspelt field name in the emulator fails its tests (strict=False turns this off).

Error statuses are not declared in the spec; their bodies must be a JSON object with
a string "Message", the shape the server uses.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import httpx2
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from .isotime import parse_iso

SPEC_FILES = ("openapi-public-v3.json", "openapi-internal-subset.json")
_JSON_TYPES = ("application/json", "text/json")


class ContractViolation(AssertionError):
    """A response that the WATS API description does not allow."""


@dataclass(frozen=True)
class Operation:
    spec: str  # the spec file it comes from
    method: str  # lower-case
    path: str  # the template, e.g. /api/internal/Process/GetProcess/{id}
    operation: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.operation.get("operationId", f"{self.method} {self.path}"))

    @property
    def statuses(self) -> list[str]:
        return list(self.operation.get("responses", {}))


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    def is_uuid(value: object) -> bool:
        return not isinstance(value, str) or bool(uuid.UUID(value))

    def is_datetime(value: object) -> bool:
        return not isinstance(value, str) or bool(parse_iso(value))

    checker.checks("uuid", raises=ValueError)(is_uuid)
    checker.checks("date-time", raises=ValueError)(is_datetime)
    return checker


def _prepare(node: Any, strict: bool) -> Any:
    """Apply the two readings from the module docstring to a spec, recursively."""
    if isinstance(node, list):
        return [_prepare(item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    if node == {"type": "object"}:
        return {}
    out = {key: _prepare(value, strict) for key, value in node.items()}
    if strict and out.get("type") == "object" and isinstance(out.get("properties"), dict):
        out.setdefault("additionalProperties", False)
    return out


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{pattern}/?$", re.IGNORECASE)


class Contract:
    def __init__(self, specs: dict[str, dict[str, Any]], *, strict: bool = True) -> None:
        self.strict = strict
        self._docs: dict[str, dict[str, Any]] = {}
        registry: Registry[Any] = Registry()
        self._operations: list[tuple[re.Pattern[str], int, Operation]] = []
        for name, spec in specs.items():
            doc = _prepare(copy.deepcopy(spec), strict)
            self._docs[name] = doc
            registry = registry.with_resource(
                f"urn:wats:{name}", Resource.from_contents(doc, default_specification=DRAFT4)
            )
            for path, item in doc.get("paths", {}).items():
                for method, operation in item.items():
                    # Literal segments beat parameters: /api/Product/Query before /{pn}.
                    rank = path.count("{")
                    self._operations.append(
                        (_template_regex(path), rank, Operation(name, method, path, operation))
                    )
        self._operations.sort(key=lambda entry: entry[1])
        self._registry = registry.crawl()
        self._formats = _format_checker()

    @classmethod
    def bundled(cls, *, strict: bool = True) -> Contract:
        return _bundled(strict)

    def find(self, method: str, path: str) -> Operation:
        method = method.lower()
        for regex, _, operation in self._operations:
            if operation.method == method and regex.match(path):
                return operation
        raise ContractViolation(f"{method.upper()} {path} is not an operation in the WATS API")

    def response_schema(self, operation: Operation, status: int) -> dict[str, Any] | None:
        """A $ref to the JSON schema of a status's body; None when the body must be empty."""
        response = operation.operation.get("responses", {}).get(str(status))
        if response is None:
            return None
        content = response.get("content") or {}
        if "application/json" not in content:
            return None
        escaped = operation.path.replace("~", "~0").replace("/", "~1")
        pointer = (
            f"/paths/{escaped}/{operation.method}/responses/{status}"
            "/content/application~1json/schema"
        )
        return {"$ref": f"urn:wats:{operation.spec}#{pointer}"}

    def check_response(
        self, method: str, path: str, status: int, body: bytes, content_type: str = ""
    ) -> Any:
        """Validate one response; returns the decoded JSON body (None when empty)."""
        operation = self.find(method, path)
        where = f"{method.upper()} {path} -> {status} ({operation.operation_id})"
        declared = str(status) in operation.statuses
        if 200 <= status < 300 and not declared:
            raise ContractViolation(
                f"{where}: status not in the spec (allowed: {operation.statuses})"
            )
        if not body:
            if declared and self.response_schema(operation, status) is not None:
                raise ContractViolation(f"{where}: empty body, the spec declares one")
            if not declared:
                raise ContractViolation(f"{where}: an error needs a JSON body with a Message")
            return None
        if content_type.split(";")[0].strip() not in _JSON_TYPES:
            raise ContractViolation(f"{where}: content-type {content_type!r} is not JSON")
        try:
            decoded = json.loads(body)
        except json.JSONDecodeError as exc:
            raise ContractViolation(f"{where}: body is not JSON: {exc}") from None
        if not declared:
            if not isinstance(decoded, dict) or not isinstance(decoded.get("Message"), str):
                raise ContractViolation(
                    f"{where}: error body must be an object with a string Message"
                )
            return decoded
        schema = self.response_schema(operation, status)
        if schema is None:
            raise ContractViolation(f"{where}: body sent, but the spec declares none")
        validator = Draft4Validator(schema, registry=self._registry, format_checker=self._formats)
        errors = sorted(validator.iter_errors(decoded), key=lambda e: list(e.absolute_path))
        if errors:
            raise ContractViolation(f"{where}: {_describe(errors)}")
        return decoded

    def check(self, response: httpx2.Response) -> Any:
        """Validate an httpx response from the emulator; returns the decoded JSON body."""
        request = response.request
        return self.check_response(
            request.method,
            request.url.path,
            response.status_code,
            response.content,
            response.headers.get("content-type", ""),
        )


def _describe(errors: list[ValidationError]) -> str:
    lines = [
        f"at {'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}"
        for e in errors[:5]
    ]
    more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(lines) + more


@cache
def _bundled(strict: bool) -> Contract:
    folder = resources.files("pywats.emulator") / "spec"
    specs = {name: json.loads((folder / name).read_text("utf-8")) for name in SPEC_FILES}
    return Contract(specs, strict=strict)


def check_contract(response: httpx2.Response, *, strict: bool = True) -> Any:
    """Assert that `response` is what the WATS API allows; returns its decoded JSON body."""
    return Contract.bundled(strict=strict).check(response)
