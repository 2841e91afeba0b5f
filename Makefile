# Aristobot3 : `make run` installe et démarre tout, `make test` lance tous les tests.
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run run-offline test install

run: install
	$(PY) scripts/run.py

run-offline: install
	$(PY) scripts/run.py --offline

test: install
	scripts/ensure_chromium.sh
	$(PY) scripts/test.py $(ARGS)

install: $(VENV)/.installed frontend/node_modules/.installed

$(VENV)/.installed: backend/requirements.txt backend/requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r backend/requirements-dev.txt
	scripts/ensure_node.sh $(VENV)
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json $(VENV)/.installed
	cd frontend && npm ci --no-audit --no-fund
	touch $@
