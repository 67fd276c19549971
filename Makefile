# The two commands that work on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= examples.db

.PHONY: demo test lint bench bench-quality install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

## demo: set up .venv, ingest and analyse examples/ into $(DB), print the lineage, write the report
demo: $(VENV)/.installed
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/newslineage run examples/corpus/ --db $(DB) --report report

## test: set up .venv with the test extras, start PostgreSQL and install Chromium when
## missing (Debian packages), run the whole suite and the docstring examples
test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	NEWSLINEAGE_TEST_PG_URL="$$(bash scripts/ensure-postgres.sh)" \
	NEWSLINEAGE_CHROMIUM="$$(bash scripts/ensure-chromium.sh)" \
	$(BIN)/python -m pytest -q -p no:cacheprovider --doctest-modules src/newslineage tests

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

## bench: benchmarks with ratios against a baseline run in the same process
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run

## bench-quality: only the quality section: the real dev sets of ../shared/devdata, in-sample
## and held out (5 folds, decisions refitted without each, each fold run in a store of the whole
## set), beside their baselines and the issues' targets (~1.5 h on 2 cores, COUNTER most of it;
## the first run also builds the training rows, ~15 CPU-minutes)
bench-quality: $(VENV)/.installed-test
	$(BIN)/python -m bench.devsets --heldout 5

clean:
	rm -rf $(VENV) *.egg-info build dist .pytest_cache .ruff_cache
