"""Command line: `vnplan ingest | audit | query | report` (see SCHEMA.md, CLI minimum)."""
from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from pathlib import Path


def _ingest(args: argparse.Namespace) -> int:
    from .ingest import FoldersClash, IngestInterrupted, ingest
    from .outlock import OutputBusy

    if not args.input_dir.is_dir():
        why = "is a file: give the folder that holds it" if args.input_dir.exists() else "not found"
        print(f"vnplan: input folder {args.input_dir} {why}", file=sys.stderr)
        return 2
    if args.executor == "dask" and not args.scheduler:
        print("vnplan: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return 2
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"vnplan: cannot use {args.out} as the output folder: {exc.strerror}", file=sys.stderr)
        return 2
    if not os.access(args.out, os.W_OK | os.X_OK):
        print(f"vnplan: the output folder {args.out} is not writable", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # a job scheduler's stop: as gentle as Ctrl-C
    try:
        summary = ingest(args.input_dir, args.out, workers=args.workers, ocr=args.ocr, force=args.force,
                         timeout=args.timeout, max_memory_mb=args.max_memory_mb, executor=args.executor,
                         scheduler=args.scheduler, log_json=args.log_json, prune_missing=args.prune)
    except IngestInterrupted as stop:
        print(stop.summary.interrupted_line(), file=sys.stderr)
        return INTERRUPTED
    except OutputBusy as busy:
        print(f"vnplan: {busy}", file=sys.stderr)
        return BUSY
    except FoldersClash as clash:
        print(f"vnplan: {clash}", file=sys.stderr)
        return 2
    print(summary.line())
    return 0


INTERRUPTED = 130  # exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)
BUSY = 75  # exit code when another ingest is writing to OUT_DIR: try again later (EX_TEMPFAIL)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _load_rules(path: Path | None) -> dict | None:
    """The audit rules (defaults merged with --rules FILE); None after printing why they are unusable."""
    from .audit import RulesError, load_rules

    try:
        return load_rules(path)
    except RulesError as exc:
        print(f"vnplan: {exc}", file=sys.stderr)
        return None


def _has_records(out_dir: Path) -> bool:
    if not (out_dir / "json").is_dir():
        print(f"vnplan: not an output folder (no json/ records): {out_dir}", file=sys.stderr)
        return False
    return True


def _audit(args: argparse.Namespace) -> int:
    from .audit import audit_out_dir, audit_records_table, format_audit
    from .query import format_csv, format_json

    if not _has_records(args.out_dir) or (rules := _load_rules(args.rules)) is None:
        return 2
    audited = audit_out_dir(args.out_dir, rules)
    if args.format == "table":
        print(format_audit(audited))
    else:
        print((format_csv if args.format == "csv" else format_json)(*audit_records_table(audited)))
    return int(any(not f.passed and f.severity == "error" for _, fs in audited for f in fs))


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    if not _has_records(args.out_dir) or (rules := _load_rules(args.rules)) is None:
        return 2
    print(f"vnplan: wrote {write_report(args.out_dir, rules)}")
    return 0


def _query(args: argparse.Namespace) -> int:
    from .query import format_csv, format_json, format_table, run_query

    if not (args.out_dir / "documents.parquet").is_file():
        print(f"vnplan: no tables in {args.out_dir} (run vnplan ingest first)", file=sys.stderr)
        return 2
    import duckdb

    try:
        columns, rows = run_query(args.out_dir, args.sql)
    except duckdb.Error as exc:
        print(f"vnplan: query failed: {exc}", file=sys.stderr)
        return 1
    if args.csv:
        sys.stdout.write(format_csv(columns, rows))
    elif args.json:
        print(format_json(columns, rows))
    else:
        print(format_table(columns, rows, args.max_width))
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
    p.add_argument("--prune", action="store_true",
                   help="remove the stored plans of INPUT_DIR that are no longer there (deleted or changed)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds allowed per file (default: per_file_seconds in limits.toml)")
    p.add_argument("--max-memory-mb", type=int, default=6144, help="memory cap per worker (0 = none)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--log-json", action="store_true", help="one JSON line per file on stderr")
    p.set_defaults(func=_ingest)
    p = sub.add_parser("audit", help="check every stored plan against the audit rules (exit 1 on errors)")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--rules", type=Path, help="TOML file merged over the default audit rules")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_audit)
    p = sub.add_parser("report", help="write OUT_DIR/report.html (offline audit report)")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--rules", type=Path, help="TOML file merged over the default audit rules")
    p.set_defaults(func=_report)
    p = sub.add_parser("query", help="DuckDB SQL over the tables and the *_wide views")
    p.add_argument("out_dir", type=Path)
    p.add_argument("sql")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="CSV on stdout")
    fmt.add_argument("--json", action="store_true", help="JSON array on stdout")
    p.add_argument("--max-width", type=int, default=60, help="table mode: cut cells longer than this")
    p.set_defaults(func=_query)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code = args.func(args)
    if argv is None:  # the command itself: the process ends now, and a collection of its objects
        gc.freeze()  # on the way out (imports, vocabularies) would take about 0.1 s for nothing
    return code


if __name__ == "__main__":
    sys.exit(main())
