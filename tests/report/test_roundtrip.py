"""Acceptance 1: a server export read and written back is the same JSON value."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest

from pywats.domains.report import dump_wsjf, load_wsjf, wsjf_json_schema
from pywats.domains.report.enums import NumericCompOp, StepStatus, StringCompOp
from pywats.domains.report.reports import UURReport, UUTReport

from .conftest import DATA
from .helpers import assert_same_json, assert_same_text


def test_sample_round_trip_is_identical(sample_text: str) -> None:
    report = load_wsjf(sample_text)
    assert isinstance(report, UUTReport)
    assert_same_text(dump_wsjf(report), sample_text)


def test_sample_round_trip_keeps_server_bytes(sample_text: str) -> None:
    # Not required by the format, but field order follows the server's, so nothing moves.
    assert dump_wsjf(load_wsjf(sample_text)) == sample_text


@pytest.mark.parametrize("kind", ["bytes", "dict"])
def test_sample_round_trip_from_bytes_and_dict(sample_text: str, kind: str) -> None:
    source: Any = sample_text.encode() if kind == "bytes" else json.loads(sample_text)
    assert_same_text(dump_wsjf(load_wsjf(source)), sample_text)


def test_second_round_trip_is_stable(sample_text: str) -> None:
    once = dump_wsjf(load_wsjf(sample_text))
    assert dump_wsjf(load_wsjf(once)) == once


def test_sample_is_read_into_typed_fields(sample_text: str) -> None:
    report = load_wsjf(sample_text)
    assert isinstance(report, UUTReport)
    assert report.serial_number == "FATTest-325"
    assert report.start == "2026-01-30T22:01:41.4707353+01:00"  # 7 digits kept verbatim
    assert report.start_datetime == datetime(
        2026, 1, 30, 21, 1, 41, 470735, tzinfo=UTC
    )  # the same instant, cut to microseconds
    assert report.uut is not None and report.uut.step_id_caused_uut_failure == 5
    steps = report.walk()
    assert len(steps) == 186
    assert [step.id for _, step in steps] == list(range(1, 187))
    path, failing = next((p, s) for p, s in steps if s.caused_uut_failure)
    assert path == "MainSequence Callback/Numeric tests/SingleEQFail"
    assert failing.status is StepStatus.FAILED
    assert failing.numeric_meas is not None
    assert failing.numeric_meas[0].comp_op is NumericCompOp.EQ
    ops = {m.comp_op for _, s in steps for m in s.numeric_meas or ()}
    assert ops == set(NumericCompOp)
    string_ops = {m.comp_op for _, s in steps for m in s.string_meas or ()}
    assert StringCompOp.IGNORECASE in string_ops
    chart = next(s.chart for _, s in steps if s.chart)
    assert chart.series is not None and chart.series[0].y_values()[-1] == 144.0


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """One schema object as an export uses it: the value may be null, no unknown keys."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    out = dict(schema)
    if "properties" in out:
        out["properties"] = {name: _nullable(sub) for name, sub in out["properties"].items()}
        out["additionalProperties"] = False
    if "items" in out:
        out["items"] = _nullable(out["items"])
    if "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def test_sample_uses_only_schema_keys(sample_text: str) -> None:
    schema = wsjf_json_schema()
    definitions = schema["components"]["schemas"]
    schema["components"] = {
        "schemas": {name: _nullable(body) for name, body in definitions.items()}
    }
    jsonschema.Draft202012Validator(schema).validate(json.loads(sample_text))


def test_unknown_keys_and_step_types_survive(sample_text: str) -> None:
    data = json.loads(sample_text)
    data["futureHeaderKey"] = {"nested": [1, 2.5, None]}
    data["uut"]["futureUutKey"] = "x"
    step = data["root"]["steps"][0]["steps"][0]
    step["futureStepKey"] = True
    step["numericMeas"][0]["futureMeasKey"] = 7
    data["root"]["steps"].append(
        {
            "id": 999,
            "group": "M",
            "stepType": "VendorSpecificStep",
            "name": "Custom",
            "status": "U",
            "totTime": 1,
            "causedUUTFailure": False,
            "vendorPayload": {"a": [1, {"b": None}]},
            "steps": [{"id": 1000, "stepType": "NI_Wait", "name": "inner", "status": "Q"}],
        }
    )
    data["miscInfos"].append({"description": "d", "typedef": "t", "numeric": 1, "id": "x"})
    data["subUnits"][0]["futureUnitKey"] = []
    assert_same_json(json.loads(dump_wsjf(load_wsjf(data))), data)


def test_null_and_absent_stay_distinct() -> None:
    data = {
        "type": "T",
        "id": "3f0a7e38-7d52-4bb7-8f4b-4a4a3fd1b6b0",
        "pn": "PN",
        "sn": "SN",
        "rev": None,
        "root": {
            "id": 1,
            "name": "Main",
            "steps": [{"id": 2, "name": "n", "numericMeas": [{"value": 1, "lowLimit": None}]}],
        },
    }
    assert_same_json(json.loads(dump_wsjf(load_wsjf(data))), data)


def test_unknown_codes_and_dates_are_kept_verbatim() -> None:
    data = {
        "type": "T",
        "result": "D",
        "start": "2026-01-30T22:01:41.4707353+01:00",
        "root": {
            "status": "X",
            "group": "Z",
            "start": "2024-04-15T10:00:00.000+02:00",
            "stringMeas": [{"compOp": "IgnoreCase", "status": "P", "value": "a", "limit": "A"}],
            "numericMeas": [{"compOp": "EQT", "value": 4.55e-05, "highLimit": 1e300}],
            "chart": {"chartType": "Polar"},
        },
    }
    assert_same_json(json.loads(dump_wsjf(load_wsjf(data))), data)


def test_uur_round_trip() -> None:
    text = (DATA / "uur-example.json").read_text(encoding="utf-8")
    report = load_wsjf(text)
    assert isinstance(report, UURReport)
    assert report.uur is not None and report.uur.process_code == 90
    main = report.main_unit()
    assert main is not None and main.failures is not None
    assert main.failures[0].ref_step_id == 5
    assert_same_text(dump_wsjf(report), text)
