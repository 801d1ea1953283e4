# Two commands set everything up on a machine with only python3 (>= 3.11) and make:
#   make dashboard   installs, then serves the dashboard on 127.0.0.1
#   make test        installs, then runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP  := $(VENV)/.installed
PACKAGES := agents configuration world experiments callister views benchmarks

.PHONY: install test test-fast dashboard bench lint format lock clean

install: $(STAMP)

# Re-installs only when the lock or the package metadata changed. Bytecode is compiled at
# install time, so start-up stays fast (dashboard first render, batch workers) even where
# PYTHONDONTWRITEBYTECODE keeps Python from caching it on first import (containers, CI);
# so is the players' hour (numba caches it in world/__pycache__; a first run would wait ~10 s).
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python --require-hashes \
		requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q -j 0 $(PACKAGES) dashboard.py
	$(BIN)/python -c "import world.players_hour"
	@touch $(STAMP)

test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow and not browser"

# Loopback only, whatever config Streamlit finds: the app refuses other addresses unless
# CALLISTER_ALLOW_REMOTE=1 (docs/dashboard.md).
dashboard: install
	$(BIN)/streamlit run dashboard.py --server.address 127.0.0.1

bench: install
	$(BIN)/python -m benchmarks

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerates the pinned lock from pyproject.toml (maintainers only).
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
