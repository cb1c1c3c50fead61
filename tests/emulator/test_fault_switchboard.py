"""The fault switchboard applies a change whole or not at all, by HTTP, CLI and Python alike.

Each bad change is followed by a normal call: the previous settings must still be in force
and the server must answer as before.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from pywats.emulator import FaultConfig
from pywats.emulator.cli import parse_config
from pywats.emulator.faults import FaultSettingError, check_fault_setting
from pywats.emulator.runner import EmulatorServer

# A configuration that differs from the defaults everywhere but injects nothing, so a normal
# call still answers 200 and any half-applied change would show.
PREVIOUS: dict[str, Any] = {
    "latency": 0.001,
    "error_rate": 0.0,
    "error_status": 502,
    "throttle_rate": 0.0,
    "retry_after": 7,
    "drop_rate": 0.0,
    "budget": 5,
    "path_prefix": "/api/",
    "seed": 42,
}

BAD_CHANGES: list[Any] = [
    {"error_rate": "x"},
    {"path_prefix": 5, "error_rate": 0.5},
    {"error_rate": 0.5, "path_prefix": 5},
    {"latency": 1e308},
    {"latency": 61},
    {"latency": -1},
    {"latency": "0.5"},
    {"latency": True},
    {"error_rate": 1.5},
    {"error_rate": -0.1},
    {"throttle_rate": 2},
    {"drop_rate": None},
    {"error_status": 200},
    {"error_status": 503.5},
    {"error_status": "503"},
    {"retry_after": -1},
    {"retry_after": 1.5},
    {"budget": -1},
    {"budget": "2"},
    {"seed": "s"},
    {"seed": 1.0},
    {"path_prefix": "api"},
    {"path_prefix": None},
    {"error_rate": 1.0, "nonsense": 1},
    {"Error_Rate": 1.0},
    {"error_rate": 1.0, "latency": float("inf")},
    {"error_rate": 1.0, "budget": [1]},
    [],
    ["error_rate", 1.0],
    "error_rate=1",
    5,
    None,
]


@pytest.fixture
def server(emulator_server: EmulatorServer) -> Iterator[tuple[EmulatorServer, httpx2.Client]]:
    headers = {"Authorization": f"Basic {emulator_server.token}"}
    with httpx2.Client(base_url=emulator_server.url, headers=headers, timeout=10) as client:
        assert client.put("/_emulator/faults", json=PREVIOUS).status_code == 200
        yield emulator_server, client


@pytest.mark.parametrize("change", BAD_CHANGES, ids=[repr(c)[:40] for c in BAD_CHANGES])
def test_a_bad_change_over_http_changes_nothing(
    server: tuple[EmulatorServer, httpx2.Client], change: Any
) -> None:
    emulator, client = server
    # json.dumps writes inf as Infinity, which is not JSON: that is refused too.
    response = client.put(
        "/_emulator/faults",
        content=json.dumps(change),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["Message"]
    # A normal call afterwards: answered as before, and the settings are the previous ones.
    assert client.get("/api/App/Version").status_code == 200
    assert client.get("/_emulator/faults").json() == PREVIOUS
    assert emulator.faults.as_dict() == PREVIOUS


def test_nan_and_infinity_written_as_json_literals_are_refused(
    server: tuple[EmulatorServer, httpx2.Client],
) -> None:
    _, client = server
    for text in ('{"latency": NaN}', '{"latency": Infinity}', '{"error_rate": -Infinity}'):
        response = client.put(
            "/_emulator/faults", content=text, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert client.get("/api/App/Version").status_code == 200
    assert client.get("/_emulator/faults").json() == PREVIOUS


def test_the_400_names_every_bad_setting(server: tuple[EmulatorServer, httpx2.Client]) -> None:
    _, client = server
    response = client.put(
        "/_emulator/faults", json={"latency": 99, "error_rate": "x", "unknown": 1, "seed": 3}
    )
    body = response.json()
    assert response.status_code == 400
    for name in ("latency", "error_rate", "unknown"):
        assert name in body["Message"]
    assert "Nothing was changed" in body["Message"]
    assert "seed" not in body["Message"]  # the good setting is not blamed, nor applied
    assert client.get("/_emulator/faults").json()["seed"] == 42


def test_a_good_change_applies_whole(server: tuple[EmulatorServer, httpx2.Client]) -> None:
    _, client = server
    change = {"error_rate": 1.0, "error_status": 504, "budget": 1, "latency": 0}
    assert client.put("/_emulator/faults", json=change).json() == {**PREVIOUS, **change}
    assert client.get("/api/App/Version").status_code == 504  # the one budgeted fault
    assert client.get("/api/App/Version").status_code == 200
    assert client.delete("/_emulator/faults").json() == FaultConfig().as_dict()


def test_largest_allowed_latency_is_sixty_seconds() -> None:
    assert FaultConfig(latency=60).latency == 60.0
    with pytest.raises(ValueError, match="latency must be between 0 and 60"):
        FaultConfig(latency=60.001)


# -- the same rules in Python ---------------------------------------------------------------

PY_BAD: list[dict[str, Any]] = [c for c in BAD_CHANGES if isinstance(c, dict)] + [
    {"latency": math.nan},
    {"error_rate": math.nan},
]


@pytest.mark.parametrize("change", PY_BAD, ids=[repr(c)[:40] for c in PY_BAD])
def test_python_update_is_all_or_nothing(change: dict[str, Any]) -> None:
    faults = FaultConfig(**PREVIOUS)
    with pytest.raises(FaultSettingError) as info:
        faults.update(**change)
    assert set(info.value.problems) <= set(change)
    assert faults.as_dict() == PREVIOUS


def _acceptable(key: str, value: Any) -> bool:
    try:
        check_fault_setting(key, value)
    except ValueError:
        return False
    return True


# The changes that hold a bad value for a known setting (not only unknown names).
PY_BAD_VALUES = [
    c for c in PY_BAD if any(k in PREVIOUS and not _acceptable(k, v) for k, v in c.items())
]


@pytest.mark.parametrize("change", PY_BAD_VALUES, ids=[repr(c)[:40] for c in PY_BAD_VALUES])
def test_python_constructor_and_attributes_use_the_same_rules(change: dict[str, Any]) -> None:
    known = {key: value for key, value in change.items() if key in PREVIOUS}
    bad = {key: value for key, value in known.items() if not _acceptable(key, value)}
    with pytest.raises(ValueError):
        FaultConfig(**{**PREVIOUS, **known})
    faults = FaultConfig(**PREVIOUS)
    key, value = next(iter(bad.items()))
    with pytest.raises(ValueError):
        setattr(faults, key, value)
    assert faults.as_dict() == PREVIOUS


# -- and on the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--latency", "nan"],
        ["--latency", "inf"],
        ["--latency", "1e308"],
        ["--latency", "61"],
        ["--latency", "-1"],
        ["--error-rate", "1.5"],
        ["--error-rate", "nan"],
        ["--throttle-rate", "-0.1"],
        ["--drop-rate", "x"],
        ["--error-status", "200"],
        ["--error-status", "5e2"],
        ["--retry-after", "-1"],
        ["--fault-budget", "-1"],
        ["--max-body-size", "0"],
        ["--max-body-size", "lots"],
        ["--header-timeout", "0"],
        ["--body-timeout", "nan"],
    ],
)
def test_cli_refuses_what_the_api_refuses(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        parse_config(argv)
    assert info.value.code == 2
    assert argv[0] in capsys.readouterr().err


def test_cli_accepts_the_limits_of_the_ranges() -> None:
    config, _, _ = parse_config(
        ["--latency", "60", "--error-rate", "1", "--drop-rate", "0", "--max-body-size", "1MiB",
         "--header-timeout", "2.5"]
    )  # fmt: skip
    assert config.faults.latency == 60.0
    assert config.faults.error_rate == 1.0
    assert config.max_body_size == 1024 * 1024
    assert config.header_timeout == 2.5


def test_help_prints_the_default_body_limit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_config(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--max-body-size SIZE" in out
    assert "(default: 64 MiB)" in out
