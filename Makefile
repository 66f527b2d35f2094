# Two commands do everything on a fresh Debian machine: `make run` and `make test`.
PY := .venv/bin/python
export OMP_THREAD_LIMIT := 1

.PHONY: setup run test lint bench clean

setup:
	@bash scripts/setup.sh

run: setup
	$(PY) -m pipeline.cli ingest data/raw --out data/processed

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check .

bench: setup
	$(PY) benchmarks/speed.py

clean:
	rm -rf data/processed .pytest_cache
