# listen: two commands do all set-up on a fresh machine (Python 3.11 and root, or sudo):
#   make demo   create .venv, install listen, open the app on a fresh copy of the demo workspace
#   make test   create .venv with the dev extras, install the system packages the tests need, run the suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
PYTEST_ARGS ?=

# Playing and recording audio need PortAudio; the tests also speak with espeak-ng and run a
# PulseAudio null sink so recording is tested through the real sounddevice/PortAudio path.
APP_APT := libportaudio2
TEST_APT := libportaudio2 espeak-ng pulseaudio pulseaudio-utils libasound2-plugins chromium

.PHONY: demo test lint typecheck check bench openai-whisper clean

demo: $(VENV)/.app-installed
	@tools/ensure-apt-packages.sh --optional $(APP_APT)
	$(BIN)/listen demo

test: $(VENV)/.dev-installed
	@tools/ensure-apt-packages.sh $(TEST_APT)
	LISTEN_REQUIRE_AUDIO=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# editable_mode=compat: a plain path entry instead of setuptools' import hook, which costs ~20 ms
# at every Python start-up.
$(VENV)/.app-installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e . --config-settings editable_mode=compat
	touch $@

# openai-whisper is the second engine. Its own requirements would pull triton (~1 GB, useless
# on a CPU) and an unpinned torch (a multi-GB CUDA build): install the CPU torch pinned, its other
# requirements by hand, then openai-whisper itself without dependencies.
openai-whisper: $(VENV)/.openai-installed
$(VENV)/.openai-installed: $(VENV)/.app-installed
	$(PIP) install -e '.[openai]' --config-settings editable_mode=compat
	$(PIP) install --no-deps openai-whisper==20250625
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.openai-installed
	$(PIP) install -e '.[dev]' --config-settings editable_mode=compat
	touch $@

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check listen tests bench tools

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

check: lint typecheck

bench: $(VENV)/.dev-installed
	@tools/ensure-apt-packages.sh $(TEST_APT)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
