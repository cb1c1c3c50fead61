"""Test sequences the seeded stations run, written as data and played into WSJF step trees.

Each test process has a sequence file like a TestStand one: setup (fixture, power-up with rail
voltages), main test groups (firmware strings, pass/fail checks, multi-channel numerics,
charts), cleanup (power down). A run can be told to fail at one test: the value lands outside
its limits, the failure propagates to the root, the rest of the main group is not executed and
cleanup still runs, as with TestStand's "terminate on failure".
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from .wsjf_dicts import Json, boolean, chart, numeric, numeric_passes, step, string_meas

# --- the specification language -----------------------------------------------------------


@dataclass(frozen=True)
class Num:
    """A numeric test. ``low``/``high`` follow WSJF: single-limit operators use ``low``."""

    name: str
    unit: str
    comp_op: str
    low: float | None
    high: float | None
    nominal: float
    spread: float  # one standard deviation of the passing population


@dataclass(frozen=True)
class MultiNum:
    name: str
    channels: tuple[Num, ...]


@dataclass(frozen=True)
class PassFail:
    name: str


@dataclass(frozen=True)
class MultiPassFail:
    name: str
    checks: tuple[str, ...]


@dataclass(frozen=True)
class Text:
    """A string test; ``expected`` gets the unit's facts (e.g. to read back its serial)."""

    name: str
    comp_op: str
    expected: Callable[[UnitFacts], str]
    wrong: Callable[[UnitFacts], str]


@dataclass(frozen=True)
class ChartTest:
    """A numeric result with the curve it was computed from (``WATS_XYGMNLT``)."""

    name: str
    kind: str  # "frequency", "ripple", "thermal", "ramp"


@dataclass(frozen=True)
class Action:
    name: str
    step_type: str = "Action"
    attach: str | None = None  # file name of a log the step attaches


@dataclass(frozen=True)
class Popup:
    name: str
    prompt: str


@dataclass(frozen=True)
class RunExe:
    name: str


@dataclass(frozen=True)
class Seq:
    name: str
    items: tuple[Item, ...]
    group: str = "M"


Item = Num | MultiNum | PassFail | MultiPassFail | Text | ChartTest | Action | Popup | RunExe | Seq

FAILABLE = (Num, MultiNum, PassFail, MultiPassFail, Text, ChartTest)


@dataclass(frozen=True)
class UnitFacts:
    serial_number: str
    part_number: str
    revision: str
    firmware: str


@dataclass(frozen=True)
class SequenceFile:
    path: str
    version: str
    items: tuple[Seq, ...]


# --- shared building blocks ------------------------------------------------------------------


def _rail(name: str, volts: float, tolerance: float = 0.05) -> Num:
    return Num(
        name,
        "V",
        "GELE",
        round(volts * (1 - tolerance), 4),
        round(volts * (1 + tolerance), 4),
        volts,
        volts * tolerance / 4,
    )


_SETUP = Seq(
    "Setup",
    (
        Action("Initialize Fixture"),
        Text("Fixture ID", "LOG", lambda u: "FX-0412", lambda u: "FX-0412"),
        Action("Connect Instruments", "NI_IVIDmm"),
    ),
    group="S",
)

_POWER_UP = Seq(
    "Power Up",
    (
        Action("Enable PSU", "NI_IVIPowerSupply"),
        Action("Settle 200 ms", "NI_Wait"),
        Num("Input Current", "A", "GELE", 0.05, 0.35, 0.18, 0.03),
        _rail("VCC 5V0", 5.0),
        _rail("VCC 3V3", 3.3),
        _rail("VCC 1V8", 1.8, 0.03),
        Num("Standby Power", "W", "LE", 1.5, None, 0.9, 0.12),
    ),
)

_CLEANUP = Seq(
    "Cleanup",
    (Action("Power Down", "NI_IVIPowerSupply"), Action("Release Fixture")),
    group="C",
)


def _firmware(program: bool) -> Seq:
    items: list[Item] = []
    if program:
        items.append(Action("Program Flash", attach="flash.log"))
        items.append(PassFail("Verify Flash CRC"))
    items += [
        Text("Firmware Version", "CASESENSIT", lambda u: u.firmware, lambda u: "2.3.9"),
        Text(
            "Serial Number Readback", "IGNORECASE", lambda u: u.serial_number, lambda u: "FFFFFFFF"
        ),
        Text("Bootloader", "LOG", lambda u: "BL 1.4.2", lambda u: "BL 1.4.2"),
    ]
    return Seq("Firmware", tuple(items))


_COMMUNICATION = Seq(
    "Communication",
    (
        PassFail("UART Loopback"),
        MultiPassFail(
            "Bus Scan", ("I2C EEPROM", "I2C Temp Sensor", "SPI Flash", "CAN Transceiver")
        ),
        Num("Ethernet Link Speed", "Mbit/s", "EQ", 100.0, None, 100.0, 0.0),
    ),
)

_ANALOG = Seq(
    "Analog",
    (
        MultiNum(
            "ADC Calibration",
            tuple(Num(f"CH{i}", "mV", "GELE", 2490.0, 2510.0, 2500.0, 2.0) for i in range(4)),
        ),
        Num("Reference Voltage", "V", "GELE", 2.495, 2.505, 2.5, 0.0012),
        ChartTest("Frequency Response", "frequency"),
    ),
)

_LOAD = Seq(
    "Load Test",
    (
        Num("Output Voltage @ 10%", "V", "GELE", 11.88, 12.12, 12.0, 0.02),
        Num("Output Voltage @ 100%", "V", "GELE", 11.76, 12.24, 12.0, 0.05),
        ChartTest("Output Ripple", "ripple"),
        Num("Efficiency", "%", "GE", 88.0, None, 91.5, 0.8),
        ChartTest("Soft Start", "ramp"),
    ),
)

_BURN_IN = Seq(
    "Burn-In",
    (
        Popup("Confirm Chamber Loaded", "Place the unit in the burn-in chamber and close the door"),
        ChartTest("Temperature Profile", "thermal"),
        Num("Max Board Temperature", "°C", "LT", 85.0, None, 71.0, 3.0),
        Num("Current Drift", "mA", "GELE", -5.0, 5.0, 0.4, 1.2),
        PassFail("No Resets During Soak"),
    ),
)

_FINAL = Seq(
    "Final Inspection",
    (
        Popup("Visual Inspection", "Check housing, screws and connectors"),
        MultiPassFail("Labels", ("Type Label", "Serial Label", "CE Mark")),
        Text(
            "Label Serial Number",
            "IGNORECASE",
            lambda u: u.serial_number,
            lambda u: u.serial_number[:-1] + "X",
        ),
        Num("Hi-Pot Leakage", "mA", "LT", 0.5, None, 0.12, 0.04),
        Num("Insulation Resistance", "MOhm", "GT", 100.0, None, 480.0, 60.0),
        RunExe("Print Shipping Label"),
    ),
)

_ICT = Seq(
    "In-Circuit",
    (
        Num("R12 Pull-Up", "Ohm", "GELE", 9900.0, 10100.0, 10000.0, 25.0),
        Num("C7 Decoupling", "nF", "GELE", 90.0, 110.0, 100.0, 2.5),
        Num("D3 Forward Voltage", "V", "GELE", 0.55, 0.75, 0.65, 0.02),
        PassFail("Shorts Test"),
        PassFail("Opens Test"),
    ),
)

_CALIBRATION = Seq(
    "Calibration",
    (
        MultiNum(
            "Sensor Offset",
            tuple(Num(f"Point {p}", "mV", "GELE", -2.0, 2.0, 0.0, 0.5) for p in (0, 25, 50, 100)),
        ),
        Num("Gain Error", "%", "GELE", -0.5, 0.5, 0.0, 0.12),
        ChartTest("Linearity", "frequency"),
        Action("Store Calibration", attach="calibration.csv"),
    ),
)

SEQUENCE_FILES: dict[int, SequenceFile] = {
    110: SequenceFile(r"C:\TestStand\ICT\ict_main.seq", "3.2.0", (_SETUP, _ICT, _CLEANUP)),
    120: SequenceFile(
        r"C:\TestStand\FCT\functional.seq",
        "5.1.4",
        (_SETUP, _POWER_UP, _firmware(program=True), _COMMUNICATION, _ANALOG, _CLEANUP),
    ),
    130: SequenceFile(
        r"C:\TestStand\BurnIn\burn_in.seq", "1.8.0", (_SETUP, _POWER_UP, _BURN_IN, _CLEANUP)
    ),
    150: SequenceFile(
        r"C:\TestStand\CAL\calibrate.seq", "2.0.1", (_SETUP, _POWER_UP, _CALIBRATION, _CLEANUP)
    ),
    100: SequenceFile(
        r"C:\TestStand\EOL\end_of_line.seq",
        "4.0.2",
        (_SETUP, _POWER_UP, _firmware(program=False), _LOAD, _CLEANUP),
    ),
    140: SequenceFile(r"C:\TestStand\FINAL\final.seq", "1.2.0", (_SETUP, _FINAL, _CLEANUP)),
}


def failable_tests(code: int) -> list[str]:
    """Names of the tests in a process's sequence that can fail, in execution order."""
    names: list[str] = []

    def visit(item: Item) -> None:
        if isinstance(item, Seq):
            for child in item.items:
                visit(child)
        elif isinstance(item, FAILABLE) and not (isinstance(item, Text) and item.comp_op == "LOG"):
            names.append(item.name)

    for seq in SEQUENCE_FILES[code].items:
        visit(seq)
    return names


# --- playing a sequence ----------------------------------------------------------------------


@dataclass
class Run:
    """One execution: what failed (if anything), where, and the tree it produced."""

    root: Json
    failed_step: Json | None = None
    attachments: list[tuple[Json, str]] = field(default_factory=list)


# Chart axes that are the same on every run (tuples: wsjf_dicts.chart writes them once).
_FREQS = [10 * 10 ** (i / 8) for i in range(33)]  # 10 Hz .. 100 kHz
_FREQ_AXIS = tuple(round(f, 2) for f in _FREQS)
_RIPPLE_TIMES = tuple(i * 2.0 for i in range(60))
_THERMAL_MINUTES = tuple(range(0, 121, 4))
_THERMAL_AXIS = tuple(float(m) for m in _THERMAL_MINUTES)
_RAMP_TIMES = tuple(i * 0.5 for i in range(40))


class _Player:
    def __init__(
        self,
        rng: random.Random,
        unit: UnitFacts,
        start: datetime,
        fail_at: str | None,
        path: str,
        offsets: Mapping[str, float],
    ) -> None:
        self.rng = rng
        self.offsets = offsets
        self.path = path
        self.unit = unit
        self.clock = start
        self.fail_at = fail_at
        self.failed: Json | None = None
        self.attachments: list[tuple[Json, str]] = []
        self.ids = 0  # steps are numbered as they start: depth-first pre-order, as the server
        # Start times written by hand from a per-minute prefix: isoformat() is a third of the
        # cost of a step. Only for a fixed offset (or none), where the suffix never changes.
        self._prefixes: dict[int, str] = {}
        self._suffix: str | None = None
        if start.tzinfo is None or type(start.tzinfo) is timezone:
            self._suffix = start.isoformat(timespec="milliseconds")[23:]

    def next_id(self) -> int:
        self.ids += 1
        return self.ids

    def stamp(self, moment: datetime) -> str:
        """``moment.isoformat(timespec="milliseconds")``, the same text, quicker."""
        if self._suffix is None:
            return moment.isoformat(timespec="milliseconds")
        key = moment.toordinal() * 1440 + moment.hour * 60 + moment.minute
        prefix = self._prefixes.get(key)
        if prefix is None:
            prefix = self._prefixes[key] = moment.isoformat(timespec="milliseconds")[:17]
        return f"{prefix}{moment.second:02d}.{moment.microsecond // 1000:03d}{self._suffix}"

    def _step(
        self,
        step_type: str,
        name: str,
        status: str,
        group: str,
        began: datetime,
        spent: float,
        step_id: int | None = None,
    ) -> Json:
        """What ``wsjf_dicts.step`` gives for these, numbered, its payload keys to be appended
        in key order (a literal is several times quicker; a seed makes a quarter million)."""
        return {
            "id": self.next_id() if step_id is None else step_id,
            "group": group,
            "stepType": step_type,
            "name": name,
            "start": self.stamp(began),
            "status": status,
            "totTime": round(spent, 4),
            "causedUUTFailure": False,
        }

    def _tick(self, low: float, high: float) -> tuple[datetime, float]:
        began = self.clock
        spent = self.rng.uniform(low, high)
        self.clock = began + timedelta(seconds=spent)
        return began, spent

    def play_sequence(self, seq: Seq) -> Json:
        began = self.clock
        step_id = self.next_id()
        children: list[Json] = []
        main = seq.group == "M"
        for item in seq.items:
            if main and self.failed is not None:
                break  # terminate on failure: the rest of the main group never runs
            children.append(self.play(item, seq.group))
        failed = any(child["status"] == "F" for child in children)
        built = self._step(
            "SequenceCall",
            seq.name,
            "F" if failed else "P",
            seq.group,
            began,
            (self.clock - began).total_seconds(),
            step_id,
        )
        built["steps"] = children
        built["seqCall"] = {"path": self.path, "name": seq.name, "version": None}
        return built

    def play(self, item: Item, group: str) -> Json:
        if isinstance(item, Seq):
            return self.play_sequence(item)
        must_fail = self.failed is None and self.fail_at == getattr(item, "name", None)
        built = self._build(item, group, must_fail)
        if built["status"] == "F" and self.failed is None:
            built["causedUUTFailure"] = True
            self.failed = built
        return built

    def _build(self, item: Item, group: str, fail: bool) -> Json:
        if isinstance(item, Num):
            began, spent = self._tick(0.05, 0.6)
            meas = self._numeric(item, fail)
            built = self._step("ET_NLT", item.name, meas["status"], group, began, spent)
            built["numericMeas"] = [meas]
            return built
        if isinstance(item, Action):
            began, spent = self._tick(0.01, 0.5)
            built = self._step(item.step_type, item.name, "D", group, began, spent)
            if item.attach:
                self.attachments.append((built, item.attach))
            return built
        if isinstance(item, Text):
            began, spent = self._tick(0.05, 0.4)
            expected = item.expected(self.unit)
            value = item.wrong(self.unit) if fail else expected
            limit = None if item.comp_op == "LOG" else expected
            meas = string_meas(value, item.comp_op, limit)
            built = self._step("ET_SVT", item.name, meas["status"], group, began, spent)
            built["stringMeas"] = [meas]
            return built
        if isinstance(item, PassFail):
            began, spent = self._tick(0.05, 0.8)
            built = self._step("ET_PFT", item.name, "F" if fail else "P", group, began, spent)
            built["booleanMeas"] = [boolean(not fail)]
            return built
        if isinstance(item, MultiNum):
            began, spent = self._tick(0.3, 2.0)
            bad = self.rng.randrange(len(item.channels)) if fail else -1
            measures = [
                self._numeric(channel, index == bad, name=channel.name)
                for index, channel in enumerate(item.channels)
            ]
            status = "F" if any(m["status"] == "F" for m in measures) else "P"
            built = self._step("ET_MNLT", item.name, status, group, began, spent)
            built["numericMeas"] = measures
            return built
        if isinstance(item, MultiPassFail):
            began, spent = self._tick(0.2, 1.5)
            bad = self.rng.randrange(len(item.checks)) if fail else -1
            checks = [boolean(index != bad, name=name) for index, name in enumerate(item.checks)]
            built = self._step("ET_MPFT", item.name, "F" if fail else "P", group, began, spent)
            built["booleanMeas"] = checks
            return built
        if isinstance(item, ChartTest):
            return self._chart(item, group, fail)
        if isinstance(item, Popup):
            began, spent = self._tick(2.0, 25.0)
            built = self._step("MessagePopup", item.name, "D", group, began, spent)
            built["reportText"] = item.prompt
            built["messagePopup"] = {"response": None, "button": 0}
            return built
        assert isinstance(item, RunExe)
        began, spent = self._tick(0.5, 3.0)
        built = self._step("CallExecutable", item.name, "D", group, began, spent)
        built["callExe"] = {"exitCode": 0.0}
        return built

    def _numeric(self, spec: Num, fail: bool, name: str | None = None) -> Json:
        value = self._fail_value(spec) if fail else self._pass_value(spec)
        return numeric(value, spec.comp_op, low=spec.low, high=spec.high, unit=spec.unit, name=name)

    def _pass_value(self, spec: Num) -> float:
        gauss, op, low, high = self.rng.gauss, spec.comp_op, spec.low, spec.high
        nominal = spec.nominal
        if self.offsets:
            nominal += self.offsets.get(spec.name, 0.0)
        for _ in range(20):
            value = round(gauss(nominal, spec.spread), 4)
            if numeric_passes(value, op, low, high):
                return value
        return spec.nominal

    def _fail_value(self, spec: Num) -> float:
        low = spec.low if spec.low is not None else spec.nominal
        span = abs((spec.high if spec.high is not None else low) - low) or abs(low) or 1.0
        miss = span * self.rng.uniform(0.05, 0.4)
        op = spec.comp_op
        if op in ("GE", "GT"):
            return round(low - miss - abs(low) * 0.02, 4)
        if op in ("LE", "LT"):
            return round(low + miss + abs(low) * 0.05, 4)
        if op == "EQ":
            return round(low / 10 if low else 1.0, 4)
        assert spec.high is not None
        return round(spec.high + miss if self.rng.random() < 0.5 else low - miss, 4)

    def _chart(self, item: ChartTest, group: str, fail: bool) -> Json:
        began, spent = self._tick(1.0, 8.0)
        for _ in range(20):  # a run that is to pass draws its curve again if it fell outside
            meas, drawn = self._curve(item, fail)
            if fail or meas["status"] == "P":
                break
        built = self._step("WATS_XYGMNLT", item.name, meas["status"], group, began, spent)
        built["numericMeas"] = [meas]
        built["chart"] = drawn
        return built

    def _curve(self, item: ChartTest, fail: bool) -> tuple[Json, Json]:
        rng = self.rng
        gauss = rng.gauss
        if item.kind == "frequency":
            corner = gauss(20000, 1500) if not fail else rng.uniform(3000, 8000)
            log10 = math.log10
            gain = [round(-10 * log10(1 + (f / corner) ** 2) + gauss(0, 0.05), 3) for f in _FREQS]
            meas = numeric(
                round(corner / 1000, 3), "GE", low=15.0, unit="kHz", name="-3 dB Bandwidth"
            )
            drawn = chart(
                f"{item.name}",
                "Frequency",
                "Hz",
                "Gain",
                "dB",
                [("Gain", _FREQ_AXIS, gain)],
                "LineLogX",
            )
        elif item.kind == "ripple":
            amplitude = gauss(18, 3) if not fail else rng.uniform(55, 90)
            sin = math.sin
            volts = [round(amplitude * sin(t / 4.0) + gauss(0, 2), 2) for t in _RIPPLE_TIMES]
            peak = round(max(volts) - min(volts), 2)
            meas = numeric(peak, "LE", low=50.0, unit="mVpp", name="Ripple p-p")
            drawn = chart(
                item.name, "Time", "us", "Ripple", "mV", [("Output", _RIPPLE_TIMES, volts)]
            )
        elif item.kind == "thermal":
            ceiling = gauss(68, 2) if not fail else rng.uniform(88, 95)
            exp = math.exp
            temps = [
                round(25 + (ceiling - 25) * (1 - exp(-m / 25)) + gauss(0, 0.4), 1)
                for m in _THERMAL_MINUTES
            ]
            meas = numeric(max(temps), "LT", low=85.0, unit="°C", name="Peak Temperature")
            drawn = chart(
                item.name,
                "Time",
                "min",
                "Temperature",
                "°C",
                [
                    ("Board", _THERMAL_AXIS, temps),
                    ("Limit", (0.0, 120.0), (85.0, 85.0)),
                ],
            )
        else:  # ramp
            rise = gauss(4.0, 0.3) if not fail else rng.uniform(9, 14)
            volts = [round(12.0 * min(1.0, t / rise) + gauss(0, 0.02), 3) for t in _RAMP_TIMES]
            meas = numeric(round(rise, 2), "GELE", low=2.0, high=8.0, unit="ms", name="Rise Time")
            drawn = chart(item.name, "Time", "ms", "Output", "V", [("Vout", _RAMP_TIMES, volts)])
        return meas, drawn


def play(
    code: int,
    rng: random.Random,
    unit: UnitFacts,
    start: datetime,
    fail_at: str | None = None,
    offsets: Mapping[str, float] | None = None,
) -> Run:
    """Run the sequence file of test process ``code`` and return the root step and outcome.

    ``offsets`` moves the nominal value of the numeric tests it names (a drift over time).
    """
    seq_file = SEQUENCE_FILES[code]
    player = _Player(rng, unit, start, fail_at, seq_file.path, offsets or {})
    root_id = player.next_id()
    children = [
        player.play_sequence(seq)
        for seq in seq_file.items
        # after a failure only cleanup runs
        if player.failed is None or seq.group == "C"
    ]
    root = step(
        "SequenceCall",
        "MainSequence Callback",
        "F" if player.failed is not None else "P",
        start=start,
        tot_time=(player.clock - start).total_seconds(),
        steps=children,
        seqCall={"path": seq_file.path, "name": "MainSequence", "version": seq_file.version},
    )
    root["id"] = root_id
    return Run(root, player.failed, player.attachments)


def known_processes() -> Sequence[int]:
    return tuple(SEQUENCE_FILES)
