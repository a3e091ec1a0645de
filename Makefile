# Service Desk: `make run` sets up and serves; `make test` runs the whole suite.
VENV    := .venv
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app app
HOST    ?= 127.0.0.1
PORT    ?= 5000
WORKERS ?= 2
# Visits of the demo's past year, made through the operations (about 10 a second).
DEMO_YEAR ?= 2000
# The path without the query string: searches carry names and phone numbers.
ACCESS_LOG := '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

.PHONY: run test lint translations messages

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d translations

run: translations
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty --year $(DEMO_YEAR)
	@echo "Serving on http://$(HOST):$(PORT), with the background worker"
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--access-logfile - --access-logformat $(ACCESS_LOG) app:app

test: translations
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/bandit --quiet --recursive --severity-level medium app.py dealer customers parts workorders diary mpi warranty care reports demo bench
	$(VENV)/bin/pytest -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Re-extract the visible strings after changing them; then translate the new ones.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output --omit-header -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --no-wrap
