# The two commands of the README: `make demo` and `make test`. Both create the virtual
# environment and install what they need on a fresh Debian machine with Python 3.11+.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= var/demo.sqlite3
DEMO_COUNTY ?= 410225
DEMO_HOUSEHOLDS ?= 3000
export PYTHONPATH := src

.PHONY: demo test lint typecheck pytest bench install lock clean

# Exactly the versions of requirements.lock (pip-tools), then the project itself without
# resolving anything again: every machine and CI run tests the same set.
$(BIN)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "需要 python3-venv：sudo apt-get install -y python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null
	$(BIN)/pip install -r requirements.lock
	$(BIN)/pip install --no-deps -e .
	$(BIN)/pip check
	touch $@

install: $(BIN)/.installed

demo: install
	mkdir -p var
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/safetynet migrate --noinput
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/safetynet seed --county $(DEMO_COUNTY) --households $(DEMO_HOUSEHOLDS) --seed 1
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/safetynet demo_accounts --county $(DEMO_COUNTY)
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/safetynet runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy src/safetynet

pytest: install
	$(BIN)/python scripts/browser_check.py
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/run.py

# After a change of pyproject.toml's dependencies: resolve them again into requirements.lock,
# with pip-tools in a throwaway environment (it is no dependency of the project).
LOCK_VENV ?= var/lock-venv
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet pip-tools==7.7.0
	$(LOCK_VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --no-emit-trusted-host --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
