"""Command line: `vnplan ingest | audit | query | report` (see SCHEMA.md, CLI minimum)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest

    if not args.input_dir.is_dir():
        print(f"vnplan: input folder not found: {args.input_dir}", file=sys.stderr)
        return 2
    if args.executor == "dask" and not args.scheduler:
        print("vnplan: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return 2
    summary = ingest(args.input_dir, args.out, workers=args.workers, ocr=args.ocr, force=args.force,
                     timeout=args.timeout, max_memory_mb=args.max_memory_mb, executor=args.executor,
                     scheduler=args.scheduler, log_json=args.log_json)
    print(summary.line())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnplan", description="Vietnamese plans into a clean dataset")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="extract every plan under INPUT_DIR into OUT_DIR")
    p.add_argument("input_dir", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--ocr", choices=["auto", "always", "never"], default="auto")
    p.add_argument("--force", action="store_true", help="redo files already in OUT_DIR")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per file (default 1800)")
    p.add_argument("--max-memory-mb", type=int, default=6144, help="memory cap per worker (0 = none)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--log-json", action="store_true", help="one JSON line per file on stderr")
    p.set_defaults(func=_ingest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
