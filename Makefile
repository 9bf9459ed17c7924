# pkk-training — `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV := DJANGO_DEBUG=1
PORT ?= 8000

.PHONY: run demo-logins test install install-dev format messages lock bench loadtest clean

$(VENV)/.runtime: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("pkk-training needs Python 3.11 or newer; this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: install
	@$(BIN)/python -c 'import weasyprint' 2>/dev/null || printf '\n*** WeasyPrint cannot load its system libraries: PDF downloads will fail.\n*** Install them, e.g. on Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0\n\n'
	@$(BIN)/python -c 'import socket, sys; port = int(sys.argv[1]); sys.exit(f"Port {port} is busy (another server is listening there). Stop it, or run: make run PORT={port + 1}") if socket.socket().connect_ex(("127.0.0.1", port)) == 0 else None' $(PORT)
	$(DEV) $(BIN)/python manage.py migrate --noinput
	@echo "Background jobs: a worker runs beside the server (manage.py db_worker)."
	$(DEV) $(BIN)/python manage.py load_demo --if-empty
	@$(DEV) $(BIN)/python manage.py db_worker --interval 2 --no-startup-delay >/dev/null 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# New random passwords for the demo users, printed in a box.
demo-logins: install
	$(DEV) $(BIN)/python manage.py load_demo --reset-passwords

# One pytest worker per CPU (pytest-xdist); `make test PYTEST_ARGS=` runs in one process.
PYTEST_ARGS ?= -n auto
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext (apt-get install gettext).
messages: install
	$(DEV) $(BIN)/python manage.py makemessages -l id --no-location --ignore=.venv --ignore=staticfiles
	$(DEV) $(BIN)/python manage.py compilemessages -l id --ignore=.venv

# Regenerate the pinned dependency files after editing pyproject.toml.
lock: install-dev
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --quiet
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11 --quiet
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra load -o requirements-load.lock --python-version 3.11 --quiet

bench: install-dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Two app servers, a job worker, PostgreSQL and Redis on this machine, a
# day's mix from locust (bounded in time, 127.0.0.1 only), then every
# acknowledged mark checked in the database. See bench/loadtest/run.py.
loadtest: install-dev
	@$(BIN)/python -c 'import locust' 2>/dev/null || $(BIN)/python -m pip install --quiet -r requirements-load.lock
	$(BIN)/python bench/loadtest/run.py

clean:
	rm -rf $(VENV) staticfiles
