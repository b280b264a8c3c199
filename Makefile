PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# make test: pytest-xdist workers (auto: one per core; 0 runs in this one process).
TEST_WORKERS ?= auto

.PHONY: demo test install install-dev serve lint messages clean

## make demo: venv, install, migrate, documents' data, demo users and data, serve on 127.0.0.1:$(PORT)
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: install and run the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: install-dev
	$(BIN)/pytest -n $(TEST_WORKERS)

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## make messages: update locale/ru and locale/kk from the tree, then compile them (needs GNU gettext)
messages: install
	$(BIN)/python manage.py makemessages $(MESSAGES_OPTIONS)
	$(BIN)/python manage.py compilemessages --ignore=.venv

MESSAGES_OPTIONS := -l ru -l kk --add-location=file --ignore=.venv --ignore=staticfiles --ignore=node_modules --ignore=locale_upstream --ignore=tests

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
