# TA Needs: `make run` serves the demo site, `make test` runs the whole test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test install lint bench clean restore-test

run: $(VENV)/.installed .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.installed
	$(BIN)/ruff check .
	SECRET_KEY=test-only-secret-key $(BIN)/pytest

install: $(VENV)/.installed

# Back up a filled scratch database with deploy/backup.sh, restore it into a fresh one with
# deploy/restore.sh and compare (needs DATABASE_URL=postgres://...; see docs/deployment.md).
restore-test: $(VENV)/.installed
	$(BIN)/python deploy/restore_test.py

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "TA Needs needs Python 3.11 or newer: run make PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Local settings for the embedded run: a fresh secret key and DEBUG on (never for production).
.env:
	@$(PYTHON) -c 'import secrets; print(f"DEBUG=1\nSECRET_KEY={secrets.token_urlsafe(50)}")' > $@
	@echo "Wrote .env for a local run (DEBUG=1, new SECRET_KEY)."

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
