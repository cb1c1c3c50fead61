"""Comparison helpers shared by the report tests."""

from __future__ import annotations

import json
from typing import Any


def assert_same_json(actual: Any, expected: Any, path: str = "$") -> None:
    """JSON equality that also tells 10 from 10.0 and True from 1 (== does not)."""
    assert type(actual) is type(expected), f"{path}: {actual!r} != {expected!r}"
    if isinstance(expected, dict):
        assert actual.keys() == expected.keys(), (
            f"{path}: keys differ: extra {sorted(actual.keys() - expected.keys())}, "
            f"missing {sorted(expected.keys() - actual.keys())}"
        )
        for key, value in expected.items():
            assert_same_json(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{path}: length {len(actual)} != {len(expected)}"
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            assert_same_json(left, right, f"{path}[{index}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def assert_same_text(actual: str, expected: str) -> None:
    assert_same_json(json.loads(actual), json.loads(expected))
