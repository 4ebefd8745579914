# Allt körs i en egen virtuell miljö (.venv) som skapas vid behov.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installerad

.PHONY: demo test smoke install lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Startar programmet på demodata (en fiktiv kommun).
demo: $(STAMP)
	$(BIN)/bemanning demo

## Kör hela testsviten. Registrets tester körs också mot en engångs-PostgreSQL när en sådan går
## att starta (scripts/postgres-for-tests.sh); annars hoppas de över med en orsak.
test: $(STAMP)
	$(BIN)/lint-imports
	url="$$(bash scripts/postgres-for-tests.sh)"; \
	BEMANNING_TEST_PG_URL="$${BEMANNING_TEST_PG_URL:-$$url}" $(BIN)/python -m pytest
	bash scripts/wheel-smoke.sh $(PYTHON)

## Bygger hjulet, installerar det i en ny miljö utanför förrådet och kör programmet därifrån.
smoke:
	bash scripts/wheel-smoke.sh $(PYTHON)

bench: $(STAMP)
	$(BIN)/python bench/import_beslut.py

clean:
	rm -rf $(VENV) build *.egg-info
