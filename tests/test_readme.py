"""Every Python example in the README runs, as written, against a live emulator.

Examples reach the server through WATS_URL / WATS_TOKEN (or name a placeholder server, which is
pointed at the emulator here), so a README that drifts from the code fails this test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pywats.emulator.runner import EmulatorServer

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
PLACEHOLDER_URL = "https://acme.wats.com"
PLACEHOLDER_TOKENS = ('"<your API token>"', '"..."')


def examples() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append((f"README.md:{line}", match.group(1)))
    return found


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize(("where", "code"), examples(), ids=[w for w, _ in examples()])
def test_readme_example_runs(
    where: str, code: str, emulator_server: EmulatorServer, tmp_path: Path
) -> None:
    if code.strip().startswith("pytest_plugins"):
        pytest.skip("the conftest line; the test example after it is run with it")
    if "@register_screen" in code:
        pytest.skip("a screen for the app, not a script; tests/tui covers the mechanism")
    if "def test_" in code:
        run_as_test_suite(where, code, tmp_path)
        return
    source = code.replace(PLACEHOLDER_URL, emulator_server.url)
    for placeholder in PLACEHOLDER_TOKENS:
        source = source.replace(f"token={placeholder}", f"token={emulator_server.token!r}")
    env = {
        **os.environ,
        "WATS_URL": emulator_server.url,
        "WATS_TOKEN": emulator_server.token,
        "PYWATS_CONFIG": str(tmp_path / "config.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-c", source],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{where} failed:\n{done.stderr[-3000:]}"


def run_as_test_suite(where: str, code: str, tmp_path: Path) -> None:
    """A README test example runs under pytest with the README's conftest line."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["pywats.emulator.pytest_plugin"]\n')
    (tmp_path / "test_example.py").write_text(code)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{where} failed:\n{done.stdout[-3000:]}"
    assert "1 passed" in done.stdout
