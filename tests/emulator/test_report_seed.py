"""The seeded test history: one report per production test run, retests, repairs, real trees."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from pywats.emulator.config import EmulatorConfig
from pywats.emulator.testing import InProcessEmulator


@pytest.fixture(scope="module")
def seeded() -> Iterator[InProcessEmulator]:
    emulator = InProcessEmulator(config=EmulatorConfig())
    yield emulator
    emulator.close()


def walk(step: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield step
    for child in step.get("steps") or ():
        yield from walk(child)


def bodies(emulator: InProcessEmulator, report_type: str) -> list[dict[str, Any]]:
    rows = emulator.store.query(
        "SELECT body FROM report WHERE report_type = ? ORDER BY start_utc", (report_type,)
    )
    return [json.loads(row["body"]) for row in rows]


def test_every_test_run_has_its_report(seeded: InProcessEmulator) -> None:
    runs = seeded.store.query(
        "SELECT u.serial_number, u.part_number, r.process_code, r.station_name, r.passed "
        "FROM production_test_run r JOIN production_unit u ON u.unit_id = r.unit_id"
    )
    reports = seeded.store.query(
        "SELECT serial_number, part_number, process_code, station_name, result "
        "FROM report WHERE report_type = 'T'"
    )
    expected = sorted(
        (r["serial_number"], r["part_number"], r["process_code"], r["station_name"],
         "P" if r["passed"] else "F")
        for r in runs
    )  # fmt: skip
    assert sorted(tuple(r) for r in reports) == expected
    assert len(expected) > 100


def test_retests_number_their_runs(seeded: InProcessEmulator) -> None:
    rows = seeded.store.query(
        "SELECT serial_number, part_number, process_code, run, passed_in_run, result FROM report "
        "WHERE report_type = 'T' ORDER BY serial_number, part_number, process_code, start_utc"
    )
    groups: dict[tuple[str, str, int], list[Any]] = {}
    for row in rows:
        groups.setdefault((row[0], row[1], row[2]), []).append(row)
    retested = [runs for runs in groups.values() if len(runs) > 1]
    assert retested, "the seed should retest some units"
    assert any(runs[0]["result"] == "F" and runs[1]["result"] == "P" for runs in retested)
    for runs in groups.values():
        assert [r["run"] for r in runs] == list(range(1, len(runs) + 1))
        first_pass = next((r["run"] for r in runs if r["result"] == "P"), None)
        assert all(r["passed_in_run"] == first_pass for r in runs)


def test_repairs_point_at_the_step_that_failed(seeded: InProcessEmulator) -> None:
    repairs = bodies(seeded, "R")
    assert repairs
    for repair in repairs:
        test = json.loads(
            seeded.store.scalar(
                "SELECT body FROM report WHERE uuid = ?", (repair["uur"]["refUUT"],)
            )
        )
        assert test["result"] == "F" and test["sn"] == repair["sn"]
        assert repair["processCode"] == 500
        assert repair["uur"]["processCode"] == test["processCode"]
        failure = repair["subUnits"][0]["failures"][0]
        failed = [s for s in walk(test["root"]) if s.get("causedUUTFailure")]
        assert [s["id"] for s in failed] == [failure["refStepId"]]
        assert failure["category"] and failure["code"] and failure["comRef"]


def test_step_trees_look_like_test_sequences(seeded: InProcessEmulator) -> None:
    tests = bodies(seeded, "T")
    step_types: set[str] = set()
    for report in tests[:80]:
        steps = list(walk(report["root"]))
        assert [s["id"] for s in steps] == list(range(1, len(steps) + 1))
        step_types.update(s["stepType"] for s in steps)
        assert steps[-1]["group"] == "C"  # cleanup always runs, even after a failure
        failed = [s for s in steps if s["status"] == "F"]
        if report["result"] == "F":
            culprit = next(s for s in steps if s.get("causedUUTFailure"))
            assert report["uut"]["stepIdCausedUUTFailure"] == culprit["id"]
            assert steps[0]["status"] == "F"
        else:
            assert not failed
    assert {"SequenceCall", "ET_NLT", "ET_MNLT", "ET_PFT", "ET_MPFT", "ET_SVT",
            "WATS_XYGMNLT", "Action", "NI_Wait"} <= step_types  # fmt: skip

    power_up = next(
        s for r in tests for s in walk(r["root"]) if s["name"] == "Power Up" and s["status"] == "P"
    )
    rails = {s["name"]: s["numericMeas"][0] for s in power_up["steps"] if s["stepType"] == "ET_NLT"}
    assert rails["VCC 3V3"]["unit"] == "V" and rails["VCC 3V3"]["compOp"] == "GELE"
    assert (
        rails["VCC 3V3"]["lowLimit"] <= rails["VCC 3V3"]["value"] <= rails["VCC 3V3"]["highLimit"]
    )
    chart = next(s["chart"] for r in tests for s in walk(r["root"]) if "chart" in s)
    series = chart["series"][0]
    assert len(series["xdata"].split(";")) == len(series["ydata"].split(";")) > 10


def test_same_seed_same_reports() -> None:
    first = InProcessEmulator(config=EmulatorConfig(seed=7))
    second = InProcessEmulator(config=EmulatorConfig(seed=7))
    try:
        sql = "SELECT uuid, body FROM report ORDER BY uuid"
        assert [tuple(r) for r in first.store.query(sql)] == [
            tuple(r) for r in second.store.query(sql)
        ]
    finally:
        first.close()
        second.close()
