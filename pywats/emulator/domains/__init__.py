"""Emulator domains, one module each, found automatically (see ../registry.py).

A domain module (or package) defines a module-level
`DOMAIN = Domain(name=..., routes=[...], schema=..., seed=..., requires=(...))`.
Modules whose names start with "_" are skipped, so shared helpers can live in `_name.py`.
"""
