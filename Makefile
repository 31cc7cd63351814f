# Two commands do all set-up:  `make lab`  and  `make test`.
# Both create .venv when missing and reinstall only when pyproject.toml changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888

.PHONY: lab test install install-dev bench clean help

help:
	@echo "make lab    - create .venv, install workbench, start JupyterLab on notebooks/"
	@echo "make test   - create .venv, install with dev extras, run every test"
	@echo "make bench  - run the benchmarks (figures as ratios to a baseline; SIZES=200,1000 for a quick run)"

$(BIN)/python:
	@sh scripts/make-venv.sh "$(PYTHON)" "$(VENV)"

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[fast]"
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

lab: $(VENV)/.installed
	$(BIN)/workbench lab --port $(PORT)

test: $(VENV)/.installed-dev
	@sh scripts/install-browser.sh
	$(BIN)/python -m pytest

# make bench SIZES=200,1000 for a quick run (a few minutes) while developing
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py $(if $(SIZES),--sizes $(SIZES))

clean:
	rm -rf $(VENV) build dist .pytest_cache
