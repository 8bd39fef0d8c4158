# eBookit Support: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2

.PHONY: help install run test lint migrations-check deploy-check messages worker beat bench fault load clean

help:
	@echo "make run    - install, migrate, load demo data, serve http://127.0.0.1:8000 (SQLite, eager tasks, console mail)"
	@echo "make test   - run the whole test suite (Postgres when reachable, else SQLite)"
	@echo "make lint   - ruff, makemigrations --check, check --deploy with production settings"

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Local run: no environment needed; DATABASE_URL and the rest fall back to SQLite, eager tasks, console mail.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	@DATABASE_URL="$$($(BIN)/python scripts/pick_database.py)" $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r ebookit_support tickets ehelp payments mail common timelimits twofactor -x tests \
		--severity-level medium
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=lint-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		DJANGO_ALLOWED_HOSTS=support.ebookit.ch ANYMAIL_WEBHOOK_SECRET=lint:only \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Translations: extract strings, then compile (the compiled .mo files are committed, so running needs no gettext).
# The project catalogue (locale/) holds everything but the ehelp app, which keeps its own (ehelp/locale/).
messages: install
	$(BIN)/python manage.py makemessages -l de -l fr -l en --ignore=.venv --ignore=tests --ignore=bench \
		--ignore=staticfiles --ignore=ehelp
	cd ehelp && ../$(BIN)/python ../manage.py makemessages -l fr -l en
	$(BIN)/python manage.py compilemessages --ignore=.venv

worker: install
	$(BIN)/celery -A ebookit_support worker --loglevel=info --concurrency=2

beat: install
	$(BIN)/celery -A ebookit_support beat --loglevel=info --schedule=var/celerybeat-schedule

# Fault runs: Redis killed during a burst, a worker killed while sending, Postgres restarted under load.
# They start their own Redis and Postgres instances, so they never disturb the machine's services.
fault: install
	@DATABASE_URL="$$($(BIN)/python scripts/pick_database.py)" $(BIN)/python -m pytest tests/faults -m fault -p no:xdist -v

# Benchmarks on Postgres (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379, database 14): seeds the bench
# databases once, then pages at 10,000 and 100,000 cases and the mail throughput of one worker (bench/README.md).
bench: install
	$(BIN)/python bench/run.py

# Load: gunicorn (2 workers) and a Celery worker on loopback, 60 s at a sustained rate (bench/load.py).
load: install
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles .pytest_cache
