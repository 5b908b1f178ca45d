# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint migrate demo messages worker check-deploy bench clean design-tokens

$(VENV)/.run-deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.run-deps requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

messages: $(VENV)/.run-deps
	$(PY) manage.py compile_translations

migrate: messages
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Serves the portal with a Celery worker and beat beside it (file-system broker under .var/
# unless REDIS_URL is set). Ctrl-C stops both, quietly (asahikawa/devserver.py).
run: demo
	@echo "Portal: http://$(HOST):$(PORT)/  (Ctrl-C stops the server, worker and beat)"
	@$(PY) -m asahikawa.devserver $(HOST):$(PORT)

worker: $(VENV)/.run-deps
	$(VENV)/bin/celery -A asahikawa worker --beat --pool=solo --loglevel=INFO

# The whole suite. With DATABASE_URL and REDIS_URL set it also runs the tests that need them.
test: $(VENV)/.test-deps messages
	DJANGO_SETTINGS_MODULE=asahikawa.settings.test $(PY) -m pytest $(PYTEST_ARGS)

# ruff and djLint, as the pre-commit hooks run them (.pre-commit-config.yaml), on every tracked file.
lint: $(VENV)/.test-deps
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

check-deploy: $(VENV)/.run-deps
	DJANGO_SETTINGS_MODULE=asahikawa.settings.production DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
	DJANGO_ALLOWED_HOSTS=portal.example.jp $(PY) manage.py check --deploy --fail-level WARNING

bench: $(VENV)/.test-deps
	for script in bench/*.py; do $(PY) $$script || exit 1; done

# The Digital Agency design tokens (static/vendor/design-tokens/) again from the pinned npm package.
design-tokens: $(VENV)/.run-deps
	$(PY) scripts/design_tokens.py

clean:
	rm -rf $(VENV) .var staticfiles
