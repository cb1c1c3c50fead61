"""WSXF: lossless on the server's export, the same model as the WSJF export, safe parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pywats.domains.report import dump_wsjf, load_wsjf
from pywats.domains.report.wsxf import MAX_WSXF_DEPTH, WSXF_NAMESPACE, dump_wsxf, load_wsxf
from pywats.errors import ReportFormatError

from .helpers import assert_same_json
from .wsxf_factory import wsxf_report

DATA = Path(__file__).parent / "data"
HEAD = '<?xml version="1.0" encoding="utf-8"?><Reports xmlns="' + WSXF_NAMESPACE + '">'


@pytest.fixture(scope="module")
def sample_xml() -> bytes:
    """The server's WSXF export of the FAT report (the same report as the WSJF sample)."""
    return (DATA / "uut-wsxf-export.xml").read_bytes()


@pytest.fixture(scope="module")
def sample_json() -> str:
    return (DATA / "uut-wsjf-export.json").read_text("utf-8")


def test_round_trip_of_the_server_export_is_byte_for_byte(sample_xml: bytes) -> None:
    assert dump_wsxf(load_wsxf(sample_xml)).encode("utf-8") == sample_xml


def test_the_wsxf_and_wsjf_exports_read_as_the_same_model(
    sample_xml: bytes, sample_json: str
) -> None:
    from_xml = load_wsxf(sample_xml)
    from_json = load_wsjf(sample_json)
    assert from_xml == from_json
    # ... down to JSON types (10.0 is not 10) and which keys are null.
    assert_same_json(json.loads(dump_wsjf(from_xml)), json.loads(sample_json))


def test_the_wsjf_export_written_as_wsxf_is_the_servers_wsxf(
    sample_xml: bytes, sample_json: str
) -> None:
    # No XML was read here: StepIndex, MeasOrderNumber, Filename... are derived as the server does.
    assert dump_wsxf(load_wsjf(sample_json)).encode("utf-8") == sample_xml


def test_a_changed_value_is_written_and_the_rest_kept(sample_xml: bytes) -> None:
    report = load_wsxf(sample_xml)
    step = report.root.steps[0].steps[1]  # Numeric tests / SingleEQPass
    assert step.name == "SingleEQPass"
    step.numeric_meas[0].value = 499.5
    text = dump_wsxf(report)
    assert 'NumericValue="499.5" Units="V" CompOperator="EQ" LowLimit="500"' in text
    assert len(text) == len(sample_xml) + 2
    assert load_wsxf(text).root.steps[0].steps[1].numeric_meas[0].value == 499.5


def test_a_built_report_round_trips(tmp_path: Path) -> None:
    report = wsxf_report()
    text = dump_wsxf(report)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?><Reports ')
    again = load_wsxf(text)
    assert dump_wsxf(again) == text
    assert again.id == report.id and again.serial_number == "SN-0001"
    signals = again.root.steps[2]
    assert signals.steps[0].chart is not None and signals.steps[0].chart.series[1].name == "limit"
    assert signals.steps[3].report_text == "line 1\nline <2>"
    assert again.uut is not None and again.uut.comment == "nightly <run> & more"
    assert again.root.steps[0].steps[2].numeric_meas[0].value == pytest.approx(4.55e-05)
    assert "4.55E-05" in text


def test_what_wsxf_cannot_carry_is_refused_not_dropped() -> None:
    from .factory import every_step_type

    with pytest.raises(ReportFormatError, match="'assets'"):
        dump_wsxf(every_step_type().build())
    builder = every_step_type()
    builder._assets.clear()
    with pytest.raises(ReportFormatError, match=r"Signals/Wait for boot.*'attachment'"):
        dump_wsxf(builder.build())


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
         "<Reports>&b;</Reports>", "DTDs"),
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         "<Reports>&x;</Reports>", "DTDs"),
        ("<Reports><Report", "well-formed"),
        ("<Other/>", "not a WSXF document"),
        (HEAD + "</Reports>", "not a WSXF document"),
        (HEAD + '<Report type="UUR" ID="00000000-0000-0000-0000-000000000001"/></Reports>',
         "repair"),
        (HEAD + '<Report type="UUT"/><Report type="UUT"/></Reports>', "2 reports"),
        (HEAD + '<Report type="UUT"><UUT TestSocketIndex="x"/></Report></Reports>',
         "TestSocketIndex"),
        (HEAD + '<Report type="UUT">' + "<Step>" * (MAX_WSXF_DEPTH + 5)
         + "</Step>" * (MAX_WSXF_DEPTH + 5) + "</Report></Reports>", "deeper"),
    ],
    ids=["entity-expansion", "external-entity", "truncated", "other-root", "empty", "repair",
         "two-reports", "bad-number", "too-deep"],
)  # fmt: skip
def test_bad_or_hostile_documents_are_refused(document: str, problem: str) -> None:
    with pytest.raises(ReportFormatError, match=problem):
        load_wsxf(document)


def test_a_model_read_twice_keeps_each_own_spelling(sample_xml: bytes) -> None:
    first = load_wsxf(sample_xml)
    second = load_wsxf(sample_xml.replace(b'ExecutionTime="123.67"', b'ExecutionTime="123.670"'))
    assert first == second  # same values ...
    assert b'ExecutionTime="123.670"' in dump_wsxf(second).encode()  # ... each as it was spelled
    assert dump_wsxf(first).encode() == sample_xml
