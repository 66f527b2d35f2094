"""Loads the data files shipped in pipeline/data (catalogs, vocabularies, patterns, rules)."""
from __future__ import annotations

import csv
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

DATA_DIR = Path(str(resources.files("pipeline") / "data"))


@cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of pipeline/data/<name> as dicts (cached, read-only)."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return tuple(dict(r) for r in csv.DictReader(f))


@cache
def read_toml(name: str) -> dict:
    with open(DATA_DIR / name, "rb") as f:
        return tomllib.load(f)


def split_list(value: str | None) -> list[str]:
    """Split a ';'-separated cell of a data file into trimmed, non-empty items."""
    return [v.strip() for v in (value or "").split(";") if v.strip()]
