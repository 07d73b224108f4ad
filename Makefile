# `make demo` and `make test` work on a fresh machine: each creates .venv, installs the
# pinned packages and the Debian data packages, then runs. A second run reinstalls nothing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BACKENDS := jax tensorflow torch
DEBIAN_DATA := dataset-fashion-mnist wordnet-base

.PHONY: install data demo test test-large test-gpu bench bench-gpu clean

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
	@set -e; for b in $(BACKENDS); do KERAS_BACKEND=$$b $(PY) tools/bench_methods.py; done

# On a machine with an NVIDIA GPU: the GPU kernels (Pallas, Triton), the frameworks' tiles and
# the reference against the cuBLAS roofline, N = 4,096 to 262,144, D = 128, with peak memory,
# at float32 ("highest") and TF32 products. `make test-gpu` runs the tests marked `gpu`. JAX
# sees a GPU only with its CUDA plugin (its `cuda12` or `cuda13` extra, as the driver allows);
# PyPI's torch wheel for Linux is the CUDA build.
bench-gpu: install
	@set -e; for p in highest tf32; do for b in $(BACKENDS); do \
		$(PY) tools/bench_nt_xent.py --device gpu --precision $$p --backend $$b --d 128 \
			--n 4096 8192 16384 32768 65536 131072 262144; \
	done; done

test-gpu: install
	@set -e; for b in $(BACKENDS); do KERAS_BACKEND=$$b $(PY) -m pytest -q -p no:cacheprovider -m gpu tests/kernels; done

clean:
	rm -rf $(VENV) build dist *.egg-info
