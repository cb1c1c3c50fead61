"""Finding the domains: every module in `pywats.emulator.domains` that defines `DOMAIN`.

Discovery instead of a hand-kept list means engineers adding domains in parallel
never edit the same file.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import domains as domains_package
from .plugin import Domain, order_domains


def discover_domains() -> list[Domain]:
    found: list[Domain] = []
    for info in sorted(pkgutil.iter_modules(domains_package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{domains_package.__name__}.{info.name}")
        domain = getattr(module, "DOMAIN", None)
        if domain is None:
            continue
        if not isinstance(domain, Domain):
            raise TypeError(f"{module.__name__}.DOMAIN must be an emulator Domain")
        found.append(domain)
    return order_domains(found)
