"""Builds the SCHEMA tables from the per-document records and writes them atomically.

Every table is written as <table>.parquet (typed, list columns as list<string>) and
<table>.csv (UTF-8 with BOM, lists joined with "; ", formula-safe cells); plans.duckdb holds a
copy of every table with one view per table."""
from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, get_type_hints

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from .. import rows
from ..linking import link_dataset
from ..query import create_views
from ..store import STAGING_PREFIX

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


BATCH = 32  # records per Arrow batch: the parent holds the rows of one batch as Python objects


def build_tables(records: Iterable[dict[str, Any]], extra_errors: Iterable[dict] = ()) -> dict[str, pa.Table]:
    """One Arrow table per SCHEMA table from the stored per-document records (streamed: rows are
    turned into Arrow every BATCH records, so memory does not grow with Python objects per row)."""
    schemas = {name: table_schema(cls) for name, (cls, _key) in TABLES.items()}
    pending: dict[str, list[dict]] = {name: [] for name in TABLES}
    parts: dict[str, list[pa.Table]] = {name: [] for name in TABLES}

    def flush() -> None:
        for name, rows_ in pending.items():
            if rows_:
                parts[name].append(_arrow_rows(rows_, schemas[name]))
                rows_.clear()

    for count, record in enumerate(records, 1):
        doc_id = record["document"]["doc_id"]
        for name, (_cls, key) in TABLES.items():
            value = record.get(key) or []
            rows_ = [value] if isinstance(value, dict) else value
            # a row's own doc_id wins, as in {"doc_id": doc_id, **row}; rows have one (no copy then)
            pending[name].extend(rows_ if name == "errors" else
                                 (row if "doc_id" in row else {"doc_id": doc_id, **row} for row in rows_))
        if count % BATCH == 0:
            flush()
    pending["errors"].extend(extra_errors)
    flush()
    out = {name: pa.concat_tables(parts[name]).combine_chunks() if parts[name] else schemas[name].empty_table()
           for name in TABLES}
    return link_dataset(out)  # cross-document: persons, plan_tree, references.target_doc_id


def _arrow_rows(rows_: list[dict], schema: pa.Schema) -> pa.Table:
    """The rows as a table, converted by Arrow in one call (missing keys null, extra keys ignored).
    Values Arrow would not take as they are (an int in a text column, a number in a list of texts)
    and nulls inside lists (written as the text "None") go through the per-value coercion instead,
    so both ways give the same table."""
    try:
        table = pa.Table.from_struct_array(pa.array(rows_, type=pa.struct(schema)))
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return _coerced_rows(rows_, schema)
    if any(pa.types.is_list(f.type) and pc.list_flatten(table.column(f.name)).null_count for f in schema):
        return _coerced_rows(rows_, schema)
    return table


def _coerced_rows(rows_: list[dict], schema: pa.Schema) -> pa.Table:
    columns = {}
    for f in schema:
        coerce = _coercer(f.type)
        columns[f.name] = [None if (v := r.get(f.name)) is None else coerce(v) for r in rows_]
    return pa.table(columns, schema=schema)


def _coercer(typ: pa.DataType) -> Callable[[Any], Any]:
    """The conversion of a non-null value to a column's type (chosen once per column)."""
    if pa.types.is_list(typ):
        return lambda value: [str(v) for v in value]
    if pa.types.is_integer(typ):
        return int
    if pa.types.is_floating(typ):
        return float
    if pa.types.is_boolean(typ):
        return bool
    return str


def safe_cell(value: Any) -> Any:
    """Neutralize spreadsheet formula triggers (CSV injection): prefix with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cells(table: pa.Table) -> pa.Table:
    """Every column as cell texts: lists joined, booleans true/false, numbers as written by
    Python, nulls empty, then formula-safe (a negative number would otherwise start with '-').
    Vectorised in Arrow except floats, whose Python repr Arrow's cast does not reproduce ("1.0",
    not "1")."""
    return pa.table({field.name: _csv_text(table.column(field.name), field.type) for field in table.schema})


CSV_SLICE_ROWS = 4096  # rows turned into text at a time: the text copy of a big table is never whole


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8 with BOM (Excel then reads the accents right), every cell text in double quotes, one
    line per row. (Arrow's CSV writer: C++, several times faster than the csv module on big tables.)"""
    schema = pa.schema([(name, pa.string()) for name in table.column_names])
    options = pa_csv.WriteOptions(quoting_style="needed", eol="\n")
    with open(path, "wb") as f:
        f.write("\ufeff".encode())
        with pa_csv.CSVWriter(f, schema, write_options=options) as writer:
            for start in range(0, table.num_rows, CSV_SLICE_ROWS):
                writer.write_table(csv_cells(table.slice(start, CSV_SLICE_ROWS)))


def _csv_text(col: pa.ChunkedArray, typ: pa.DataType) -> pa.ChunkedArray:
    if pa.types.is_list(typ):
        text = pc.binary_join(col, LIST_JOIN)
    elif pa.types.is_boolean(typ):
        text = pc.if_else(col, "true", "false")
    elif pa.types.is_integer(typ) or pa.types.is_string(typ) or pa.types.is_large_string(typ):
        text = pc.cast(col, pa.string())
    else:
        text = pa.chunked_array([pa.array([None if v is None or v != v else str(v) for v in col.to_pylist()],
                                          pa.string())])  # v != v: NaN, written empty like a null
    text = pc.fill_null(text, "")
    formula = functools.reduce(pc.or_, [pc.starts_with(text, start) for start in FORMULA_START])
    return pc.if_else(formula, pc.binary_join_element_wise("'", text, ""), text)


def write_tables(out_dir: Path, tables: dict[str, pa.Table]) -> None:
    """Write every table (parquet + csv) and plans.duckdb into a staging folder, then move each
    file into place with an atomic rename: readers never see a half-written file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        for name, table in tables.items():
            pq.write_table(table, staging / f"{name}.parquet")
            write_csv(table, staging / f"{name}.csv")
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
        con.execute("BEGIN TRANSACTION")  # one commit for the whole file, not one per statement
        con.execute("CREATE SCHEMA store")
        for name, table in tables.items():
            con.register("incoming", table)
            con.execute(f'CREATE TABLE store."{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
            con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM store."{name}"')
        con.execute('CREATE VIEW citations AS SELECT * FROM store."references"')
        create_views(con)
        con.execute("COMMIT")
    finally:
        con.close()
