"""Transport tests see only their own settings: no WATS_* or proxy variables, no config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pywats.config import ENV_VARS

PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*ENV_VARS.values(), *PROXY_VARS):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_config(tmp_path: Path) -> Path:
    """A config file path that does not exist: only the test's arguments count."""
    return tmp_path / "no-config.toml"
