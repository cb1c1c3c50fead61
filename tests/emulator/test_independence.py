"""The emulator must not import the SDK: the two agree only through the wire format, so a
mistake on one side cannot hide the same mistake on the other."""

from __future__ import annotations

import ast
from pathlib import Path

import pywats.emulator

ROOT = Path(pywats.emulator.__file__).parent


def _imported_modules(path: Path) -> list[str]:
    package = ".".join(path.relative_to(ROOT.parent.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    modules = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                modules.append(".".join([*base, node.module] if node.module else base))
            else:
                modules.append(node.module or "")
    return modules


def test_emulator_imports_nothing_from_the_sdk() -> None:
    offenders = []
    files = sorted(ROOT.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        for module in _imported_modules(path):
            if module.split(".")[0] == "pywats" and not module.startswith("pywats.emulator"):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders
