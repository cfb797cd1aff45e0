# Jiefen 解纷 — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000
# The demo serves like production (DEBUG off, Chinese error pages, static files through whitenoise);
# `make run DEBUG=1` gives a developer Django's debug pages.
DEBUG  ?= 0

.PHONY: run test test-fast lint format messages vendor seed clean bench

$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

## run: install, migrate SQLite, seed the demo county, serve on 127.0.0.1:$(PORT) with worker+beat
run: $(BIN)/.runtime
	mkdir -p var
	DEBUG=$(DEBUG) $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=$(DEBUG) $(BIN)/python manage.py seed_demo
	DEBUG=$(DEBUG) PORT=$(PORT) $(BIN)/python scripts/run_demo.py

## test: the whole suite (PostgreSQL and Redis on 127.0.0.1 when they answer), in two pytest runs at
## once: everything but the tests marked `separate` on TEST_WORKERS processes side by side
## (pytest-xdist, each with its own test databases and Redis db; the fault tier's workers and its own
## Redis/PostgreSQL servers too), and beside it the two outage tests marked `separate` in a process of
## their own (they mostly wait out their outages: ~80 % of their 100 s is idle CPU; their output is
## kept in var/test-separate.log and printed at the end). A run that selects nothing (exit 5:
## PYTEST_ARGS naming only tests of the other run) is not a failure.
TEST_WORKERS ?= 2
## Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): each pytest
## process would otherwise compile the project and rewrite the assertions of ~250 test modules again
## (~7 s a process: every run of the edit loop).
test test-fast: export PYTHONDONTWRITEBYTECODE=
test: $(BIN)/.dev
	mkdir -p var
	$(BIN)/python -m pytest -m separate -p no:cacheprovider $(PYTEST_ARGS) > var/test-separate.log 2>&1 & separate=$$!; \
	trap 'kill $$separate 2>/dev/null' INT TERM; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 -m "not separate" $(PYTEST_ARGS); rest=$$?; \
	wait $$separate; separate_rc=$$?; \
	echo "--- the tests marked separate, run beside the rest (var/test-separate.log), exit $$separate_rc:"; \
	cat var/test-separate.log; \
	{ [ $$rest -eq 0 ] || [ $$rest -eq 5 ]; } && { [ $$separate_rc -eq 0 ] || [ $$separate_rc -eq 5 ]; }

## test-fast: the edit loop: everything but the slow tiers (tests/tiers.py); `make test` before a merge
FAST_MARKERS = not (fault or concurrency or hostile or matrix or browser)
test-fast: $(BIN)/.dev
	mkdir -p var
	$(BIN)/python -m pytest -m "$(FAST_MARKERS)" $(PYTEST_ARGS)

## bench: performance at province scale on PostgreSQL (DATABASE_URL; seeds 1M disputes + 1M petitions
## first when the database has fewer), prints a table, writes var/bench.json. Not part of make test.
bench: $(BIN)/.dev
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py bench --seed-if-needed $(BENCH_ARGS)

lint: $(BIN)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

format: $(BIN)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## messages: extract strings, fill Chinese translations from locale/zh_hans*.json, compile
messages: $(BIN)/.dev
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --no-obsolete
	$(BIN)/python scripts/i18n_fill.py locale/zh_Hans/LC_MESSAGES/django.po locale/zh_hans*.json
	msgfmt --check -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po

## vendor: refresh front-end packages from npm into static/vendor and tests/browser/vendor (committed; no CDN at run time)
vendor:
	npm install --no-audit --no-fund
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
	cp node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	cp node_modules/axe-core/axe.min.js tests/browser/vendor/
	cp node_modules/axe-core/LICENSE tests/browser/vendor/axe-core-LICENSE

clean:
	rm -rf var/ $(VENV)
