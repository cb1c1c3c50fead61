"""Creating the schema and seeding every domain, deterministically."""

from __future__ import annotations

import gc
import random
import threading
import time
from collections.abc import Callable, Sequence

from .config import EmulatorConfig
from .plugin import Domain, SeedContext
from .storage import Storage

_SEEDED_KEY = "seeded"


def create_schema(store: Storage, domains: Sequence[Domain]) -> None:
    for domain in domains:
        if domain.schema:
            store.executescript(domain.schema)


def domain_rng(seed: int, domain: str) -> random.Random:
    # String seeds hash with SHA-512 in CPython: stable across runs and processes.
    return random.Random(f"pywats-emulator:{seed}:{domain}")


def seed_domains(
    store: Storage,
    domains: Sequence[Domain],
    config: EmulatorConfig,
    on_seeded: Callable[[str, float], None] | None = None,
) -> None:
    """Seed each domain in dependency order, unless this database was seeded before.

    A --db file keeps what users did in earlier runs, so it is seeded only once.
    `on_seeded(domain_name, seconds)` is told how long each domain took (for benchmarks).
    """
    if store.get_meta(_SEEDED_KEY) is not None:
        return
    # Seeds build millions of short-lived dicts and tuples and no reference cycles, so the
    # cyclic collector only rescans the growing heap: off while seeding, as it was after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _seed_all(store, domains, config, on_seeded)
    finally:
        if collecting:
            gc.enable()


def _seed_all(
    store: Storage,
    domains: Sequence[Domain],
    config: EmulatorConfig,
    on_seeded: Callable[[str, float], None] | None,
) -> None:
    with store.transaction():
        for domain in domains:
            if domain.seed is None:
                continue
            started = time.perf_counter()
            domain.seed(
                SeedContext(
                    store=store,
                    seed=config.seed,
                    size=config.size,
                    anchor=config.anchor,
                    rng=domain_rng(config.seed, domain.name),
                )
            )
            if on_seeded is not None:
                on_seeded(domain.name, time.perf_counter() - started)
        store.set_meta(_SEEDED_KEY, f"seed={config.seed} size={config.size}")


_TemplateKey = tuple[object, ...]
# Serialized images, not open databases: deserializing one takes about 1 ms, where SQLite's
# page-by-page backup of the small seed took about 9 ms, and a test suite makes thousands.
_templates: dict[_TemplateKey, bytes] = {}
_templates_lock = threading.Lock()


def _template_key(config: EmulatorConfig, domains: Sequence[Domain]) -> _TemplateKey:
    return (
        config.seed,
        config.size,
        config.seed_data,
        config.anchor.isoformat(),
        tuple((domain.name, id(domain)) for domain in domains),
    )


def build_storage(config: EmulatorConfig, domains: Sequence[Domain]) -> Storage:
    """A ready database for `config`.

    In-memory databases are loaded from a seeded image kept per process, so a test suite
    creating hundreds of emulators seeds each (seed, size) only once.
    """
    if config.db_path is not None:
        store = Storage(config.db_path)
        create_schema(store, domains)
        if config.seed_data:
            seed_domains(store, domains, config)
        return store
    key = _template_key(config, domains)
    with _templates_lock:
        image = _templates.get(key)
        if image is None:
            template = Storage()
            create_schema(template, domains)
            if config.seed_data:
                seed_domains(template, domains, config)
            image = _templates[key] = template.connection.serialize()
            template.close()
    store = Storage()
    store.load_image(image)
    return store
