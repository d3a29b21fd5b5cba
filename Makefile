# Newsroom: the two set-up commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser-deps run test test-fast lint check-deploy format bench bench-live bench-uploads faults load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# axe-core and the Nu HTML Checker for the browser tests, at the versions package-lock.json pins.
# Install scripts are skipped: the checker's jar ships in the package and runs on the machine's Java.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

browser-deps: node_modules/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick loop while working: the suite without the slow, browser and cross-process groups.
test-fast: install
	$(BIN)/python -m pytest -m "not slow and not browser and not cross_process" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) check-deploy

# The deployment checklist with throw-away production values (a fresh random key each run).
check-deploy: install
	DJANGO_ENV=production DJANGO_ALLOWED_HOSTS=news.example \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Fault and load scenarios against gunicorn on loopback (PostgreSQL and Redis on this machine).
faults: install
	$(BIN)/python bench/faults.py $(FAULTS_ARGS)

load: install
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/load.py $(LOAD_ARGS)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark (bench/run.py): BENCH_DB is a database URL; an empty one is seeded with BENCH_ARTICLES
# stories. Figures go to bench/results/; bench/compare.py sets two builds' figures side by side.
# See bench/RESULTS.md.
BENCH_DB ?= sqlite:///$(CURDIR)/bench/results/bench.sqlite3
BENCH_ARTICLES ?= 1000
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	mkdir -p bench/results
	$(BIN)/python bench/run.py --database-url "$(BENCH_DB)" --articles $(BENCH_ARTICLES) $(BENCH_ARGS)

# Live coverage (bench/live.py): a live story of 10,000 entries, its page and updates fragment,
# and 1,000 readers polling every 10 s. BENCH_DB as above (PostgreSQL: created if missing).
bench-live: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	mkdir -p bench/results
	$(BIN)/python bench/live.py --database-url "$(BENCH_DB)" $(BENCH_ARGS)

# Only the upload figures (bench/uploads.py; bench/run.py measures them too): a throw-away database.
bench-uploads: install
	$(BIN)/python bench/uploads.py

clean:
	rm -rf $(VENV) node_modules staticfiles media db.sqlite3 .pytest_cache
