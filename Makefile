# Every target installs what it needs into .venv first; nothing is assumed on the machine
# except Python >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The PostgreSQL server the test suite also runs on. When DOCKET_TEST_POSTGRES is set (as
# .ci/run sets it), an unreachable server is a failure; when it is not set, the suite runs on
# PostgreSQL only if one answers at the default address, and says so plainly if not.
PG_DEFAULT := postgresql://postgres@127.0.0.1:5432/test

.PHONY: install system chromium demo test test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# What the tests use from the system: Debian's Chromium (browser tests), LibreOffice (a
# generated .docx must open in it), the DejaVu fonts (PDFs in Latin and Cyrillic) and the age
# tool (a backup must decrypt with it). Installed
# when we may (root with apt-get); otherwise a plain message says what to install.
system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v "$$DOCKET_CHROMIUM" >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v age >/dev/null 2>&1 || missing="$$missing age"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "== installing from Debian:$$missing"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	  else \
	    echo "!! The tests need:$$missing — sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# Kept for habit: the browser's part of the above.
chromium: system

demo: $(STAMP)
	$(BIN)/docket demo

test: $(STAMP) system
	@echo "== test suite on SQLite"
	DOCKET_DATABASE_URL= $(BIN)/pytest -q
	@if [ -n "$$DOCKET_TEST_POSTGRES" ]; then \
	  $(MAKE) --no-print-directory test-postgres PG_URL="$$DOCKET_TEST_POSTGRES"; \
	elif $(BIN)/python -m docket.web.pgcheck "$(PG_DEFAULT)" >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory test-postgres PG_URL="$(PG_DEFAULT)"; \
	else \
	  echo ""; \
	  echo "!! The PostgreSQL suite was NOT run: no server at $(PG_DEFAULT)."; \
	  echo "!! Set DOCKET_TEST_POSTGRES=postgresql://USER@HOST:PORT/DB to run it (CI does)."; \
	fi

test-postgres: $(STAMP)
	@echo "== test suite on PostgreSQL ($(PG_URL))"
	$(BIN)/python -m docket.web.pgcheck "$(PG_URL)"
	DOCKET_DATABASE_URL="$(PG_URL)" $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src/docket/core
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/encryption.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
