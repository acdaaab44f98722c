# Two commands for a newcomer: `make demo` and `make test`. Everything else is detail.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: demo test install install-dev lint messages screenshots clean

$(BIN)/entraide: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	touch $(BIN)/entraide

install: $(BIN)/entraide

demo: install
	PORT=$(PORT) $(BIN)/python scripts/demo.py

test: install
	bash scripts/test.sh

lint: install
	bash scripts/test.sh --lint-only

screenshots: install
	ENTRAIDE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q -m browser -p no:cacheprovider tests/browser/test_screenshots.py

messages: install
	cd entraide && ../$(BIN)/entraide makemessages -l fr -l nl -l en --no-obsolete --ignore "matching/*"
	cd entraide && ../$(BIN)/entraide compilemessages

clean:
	rm -rf $(VENV) var
