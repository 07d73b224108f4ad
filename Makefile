# `make demo` and `make test` work on a fresh machine: each creates .venv, installs the
# pinned packages and the Debian data packages, then runs. A second run reinstalls nothing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BACKENDS := jax tensorflow torch
DEBIAN_DATA := dataset-fashion-mnist wordnet-base

.PHONY: install data demo test test-large bench clean

$(STAMP): pyproject.toml setup.py requirements/constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements/constraints.txt -e '.[all,test]'
	touch $(STAMP)

install: $(STAMP) data

data:
	@missing=""; for p in $(DEBIAN_DATA); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "Data packages missing:$$missing. Install them with: sudo apt-get install$$missing"; \
	fi

# The shipped SimCLR preset, a classifier on 1% of Fashion-MNIST's labels (linear probe and
# fine-tuned) beside training from scratch and raw pixels; table and plots in demo_out/.
demo: install
	$(PY) -m ssl_zoo --backend tensorflow report label-efficiency simclr_resnet_fashion_mnist \
		--data fashion_mnist --labels 0.01 --out demo_out

test: install
	@set -e; for b in $(BACKENDS); do \
		echo "=== KERAS_BACKEND=$$b"; \
		start=$$(date +%s); \
		KERAS_BACKEND=$$b $(PY) -m pytest -q -p no:cacheprovider tests; \
		echo "=== $$b: $$(( $$(date +%s) - start ))s"; \
	done

test-large: install
	@set -e; for b in $(BACKENDS); do KERAS_BACKEND=$$b $(PY) -m pytest -q -m large tests; done

bench: install
	@set -e; for b in $(BACKENDS); do $(PY) tools/bench_nt_xent.py --backend $$b --n 1024 4096 8192; done
	@set -e; for b in $(BACKENDS); do KERAS_BACKEND=$$b $(PY) tools/bench_train.py; done

clean:
	rm -rf $(VENV) build dist *.egg-info
