# `make run` builds the graph from seeds/; `make test` runs the whole test suite.
# Both create .venv and install nekg into it on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Tools installed into the venv (the oxigraph server of the endpoint tests) come first on
# PATH, so that `make test` runs what CI runs instead of skipping it.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/nekg build seeds -o out

test: $(STAMP)
	$(BIN)/ruff check graph tests scripts
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check graph tests scripts
	$(BIN)/ruff format --check graph tests scripts

clean:
	rm -rf out .pytest_cache .ruff_cache
