# Citabot. `make run` tries the bot on the embedded default; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# The embedded default: SQLite file, jobs in-process, messages printed to the console.
EMBEDDED := DATABASE_URL= REDIS_URL= MESSAGING_BACKEND=console
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint services tools browser bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install
	$(EMBEDDED) $(BIN)/alembic upgrade head
	$(EMBEDDED) $(BIN)/flask --app app clinic import examples/demo_clinic.yaml
	$(EMBEDDED) $(BIN)/flask --app app slots generate --days 30
	@echo
	@echo "Citabot is running on http://$(HOST):$(PORT)  (health: /healthz)"
	@echo "Simulator: http://$(HOST):$(PORT)/dev/chat  (say 'hola' as the patient; answer as the doctor)"
	@echo
	$(EMBEDDED) $(BIN)/flask --app app run --host $(HOST) --port $(PORT)

PG_CLUSTER = pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main
PSQL = psql -h 127.0.0.1 -U postgres -Atq

# Starts the local PostgreSQL and Redis when they are installed but not running. The
# concurrency tests open 200+ connections at once, so a server allowing fewer is
# raised to 300 connections and restarted (local test servers only).
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || $(PG_CLUSTER) start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@if [ "$$($(PSQL) -c 'show max_connections')" -lt 300 ]; then \
	  $(PSQL) -c 'ALTER SYSTEM SET max_connections = 300' && $(PG_CLUSTER) restart; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; fi
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Debian's faketime, for the second pass of `make test`.
tools:
	@command -v faketime >/dev/null || { apt-get update -qq && apt-get install -y -qq faketime; }

# Debian's chromium, for the simulator's browser test (tests/e2e/test_simulator_browser.py):
# Playwright drives /usr/bin/chromium and never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; }

# The tests that deal with dates run again a year ahead: only the clock of pytest (and
# of the Python processes it starts) moves, PostgreSQL and Redis keep the real date, so
# a test mixing a Python date with the database's CURRENT_DATE or now(), or counting on
# a fixed date to be still ahead, fails today rather than on the day it comes.
# Why the variables: tests/faketime/sitecustomize.py. The whole suite passes this way too:
#   make tools && $(AHEAD) .venv/bin/pytest
AHEAD := FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 \
	PYTHONPATH=$(CURDIR)/tests/faketime faketime -f '+365d'
DATED_TESTS := tests/unit tests/e2e/test_conversation.py \
	tests/e2e/test_one_upcoming_appointment_chat.py \
	tests/integration/test_slot_generation.py tests/integration/test_free_days.py \
	tests/integration/test_past_slots.py tests/integration/test_reminders.py \
	tests/integration/test_superseded_reminders.py tests/integration/test_tick.py \
	tests/integration/test_booking_lifecycle.py tests/integration/test_booking_state_machine.py \
	tests/integration/test_one_upcoming_appointment.py tests/integration/test_clinic_import.py \
	tests/integration/test_embedded_setup.py tests/integration/test_webhook_buttons.py \
	tests/integration/test_devchat.py tests/contract tests/e2e/test_taps.py \
	tests/e2e/test_tap_delivery.py tests/e2e/test_attendance_chat.py \
	tests/integration/test_attendance.py tests/integration/test_report.py \
	tests/integration/test_waitlist.py tests/integration/test_release_unconfirmed.py \
	tests/integration/test_morning_agenda.py

test: install services lint tools browser
	$(BIN)/pytest
	$(AHEAD) $(BIN)/pytest -q $(DATED_TESTS)

# Each benchmark makes and drops its own database; figures go in bench/README.md.
bench: install services
	$(BIN)/python bench/slots.py
	$(BIN)/python bench/holds.py
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/webhook_load.py
	$(BIN)/python bench/waitlist.py
	$(BIN)/python bench/desk_agenda.py
	$(BIN)/python bench/retention.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis .ruff_cache
