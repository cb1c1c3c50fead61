# Two commands a new user needs: `make demo` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pywats-tui --demo

# One pytest-xdist worker more than the cores: the TUI and loopback tests also wait (Pilot's
# idle checks, loopback servers), and the extra worker fills those waits. Measured on the
# full suite on 2 cores: -n 2 320 s, -n 3 205-215 s, -n 4 222-252 s; after later cuts,
# -n 3 159-189 s against -n 4 150-184 s (no clear gain), -n 5 186 s (more only contend).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# Bytecode caches stay on for the tests even where the environment turns them off (container
# images set PYTHONDONTWRITEBYTECODE): without them each worker parses, rewrites the asserts
# of and compiles 290 modules again, 8.9 s of CPU per worker against 3.0 s with the caches.
test: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check pywats tui tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

check: test lint typecheck

# Runs every benchmark, then fails if any missed its target.
bench: $(STAMP)
	status=0; for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || status=1; done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
