# Two commands set everything up on a fresh machine with Python 3.11+:
#   make demo   - install into .venv and open the app on a fresh copy of the sample data
#   make test   - install into .venv (with test extras) and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench install

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/qsales --demo

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run.py
