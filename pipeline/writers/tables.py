"""Builds the SCHEMA tables from the per-document records and writes them atomically.

Every table is written as <table>.parquet (typed, list columns as list<string>) and
<table>.csv (UTF-8 with BOM, lists joined with "; ", formula-safe cells); plans.duckdb holds a
copy of every table with one view per table."""
from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_type_hints

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import rows
from ..linking import link_dataset
from ..query import create_views

# table name -> (row class, key in the per-document record)
TABLES: dict[str, tuple[type, str]] = {
    "documents": (rows.DocumentRow, "document"),
    "sections": (rows.SectionRow, "sections"),
    "assignments": (rows.AssignmentRow, "assignments"),
    "deadlines": (rows.DeadlineRow, "deadlines"),
    "scores": (rows.ScoreRow, "scores"),
    "people": (rows.PersonRow, "people"),
    "references": (rows.ReferenceRow, "references"),
    "audit": (rows.AuditRow, "audit"),
    "errors": (rows.ErrorRow, "errors"),
}
LIST_JOIN = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _arrow_type(hint: Any) -> pa.DataType:
    text = str(hint)
    if "list" in text:
        return pa.list_(pa.string())
    if "bool" in text:
        return pa.bool_()
    if "float" in text:
        return pa.float64()
    if "int" in text:
        return pa.int64()
    return pa.string()


def table_schema(row_cls: type) -> pa.Schema:
    hints = get_type_hints(row_cls)
    fields = [f.name for f in dataclasses.fields(row_cls)]
    # doc_id first, as analysts expect; the rest in dataclass order
    ordered = (["doc_id"] if "doc_id" in fields else []) + [f for f in fields if f != "doc_id"]
    return pa.schema([(name, _arrow_type(hints[name])) for name in ordered])


def build_tables(records: Iterable[dict[str, Any]], extra_errors: Iterable[dict] = ()) -> dict[str, pa.Table]:
    """One Arrow table per SCHEMA table from the stored per-document records."""
    collected: dict[str, list[dict]] = {name: [] for name in TABLES}
    for record in records:
        doc_id = record["document"]["doc_id"]
        for name, (_cls, key) in TABLES.items():
            value = record.get(key) or []
            for row in [value] if isinstance(value, dict) else value:
                collected[name].append({"doc_id": doc_id, **row} if name != "errors" else row)
    collected["errors"].extend(extra_errors)
    out = {}
    for name, (cls, _key) in TABLES.items():
        schema = table_schema(cls)
        columns = {f.name: [_coerce(r.get(f.name), f.type) for r in collected[name]] for f in schema}
        out[name] = pa.table(columns, schema=schema)
    return link_dataset(out)  # cross-document: persons, plan_tree, references.target_doc_id


def _coerce(value: Any, typ: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_list(typ):
        return [str(v) for v in value]
    if pa.types.is_integer(typ):
        return int(value)
    if pa.types.is_floating(typ):
        return float(value)
    if pa.types.is_boolean(typ):
        return bool(value)
    return str(value)


def safe_cell(value: Any) -> Any:
    """Neutralize spreadsheet formula triggers (CSV injection): prefix with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv_frame(table: pa.Table) -> pd.DataFrame:
    """All cells as text: lists joined, booleans true/false, numbers as written by Python,
    then formula-safe (a negative number would otherwise start with '-')."""
    df = table.to_pandas()
    for field in table.schema:
        col = df[field.name]
        if pa.types.is_list(field.type):
            col = col.map(lambda v: LIST_JOIN.join(v) if v is not None else "")
        elif pa.types.is_boolean(field.type):
            col = col.map(lambda v: "" if v is None or pd.isna(v) else ("true" if v else "false"))
        elif pa.types.is_integer(field.type):
            col = col.astype("Int64").map(lambda v: "" if pd.isna(v) else str(v))
        else:
            col = col.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
        df[field.name] = col.map(safe_cell)
    return df


def write_tables(out_dir: Path, tables: dict[str, pa.Table]) -> None:
    """Write every table (parquet + csv) and plans.duckdb into a staging folder, then move each
    file into place with an atomic rename: readers never see a half-written file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        for name, table in tables.items():
            pq.write_table(table, staging / f"{name}.parquet")
            to_csv_frame(table).to_csv(staging / f"{name}.csv", index=False, encoding="utf-8-sig")
        write_duckdb(staging / "plans.duckdb", tables)
        for path in staging.iterdir():
            os.replace(path, out_dir / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_duckdb(path: Path, tables: dict[str, pa.Table]) -> None:
    """A self-contained DuckDB file: data in schema `store`, one view per table in `main`
    (so the file opens anywhere, without the parquet files beside it)."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA store")
        for name, table in tables.items():
            con.register("incoming", table)
            con.execute(f'CREATE TABLE store."{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
            con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM store."{name}"')
        con.execute('CREATE VIEW citations AS SELECT * FROM store."references"')
        create_views(con)
    finally:
        con.close()
