#!/usr/bin/env bash
# One-shot set-up for a fresh Debian machine: system packages, then the venv.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(poppler-utils tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: WARNING: missing system packages (${missing[*]}); run as root or install them" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# Byte-compile the project as pip does for installed packages: every batch process (the parent, each
# worker) then starts from .pyc files even where Python may not write them itself
# (PYTHONDONTWRITEBYTECODE, a read-only checkout); importing the pipeline takes half the time.
.venv/bin/python -m compileall -q pipeline extractors normalizers >/dev/null
