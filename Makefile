# Aristobot3 : `make run` installe et démarre tout, `make test` lance tous les tests.
# Enveloppes de run.py, qui ne demande que Python 3.11+ (`python run.py --help`).
PYTHON ?= python3

.PHONY: run run-offline test install

run:
	$(PYTHON) run.py

run-offline:
	$(PYTHON) run.py --offline

test:
	$(PYTHON) run.py test $(ARGS)

install:
	$(PYTHON) run.py install
