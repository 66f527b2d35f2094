"""`vnplan query`: DuckDB SQL over the output tables plus convenience views.

`create_views(con)` adds the catalog and the wide views to any connection that already has one
view per SCHEMA table (plans.duckdb, or the in-memory connection `connect` builds over the
parquet files, so querying never writes to the output folder)."""
from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .resources import read_csv

# plan columns repeated on every wide view, so one row answers "who/where" without a join
PLAN_COLUMNS = ("source_name", "title", "issuer", "locality_type", "locality", "district", "province",
                "admin_level", "issue_date", "period_start_year", "period_end_year")
_PLAN = ", ".join(f"d.{c}" for c in PLAN_COLUMNS)

VIEWS = {
    "assignments_wide": f"""
        SELECT a.*, c.name_vi AS index_name, array_to_string(a.lead_units, '; ') AS lead,
               array_to_string(a.support_units, '; ') AS support, {_PLAN}
        FROM assignments a JOIN documents d USING (doc_id)
        LEFT JOIN index_catalog c ON c.code = a.index_code""",
    "assignment_leads": f"""
        SELECT a.doc_id, a.assignment_id, a.section_no, a.family, a.index_code, c.name_vi AS index_name,
               u.lead_unit, a.task, a.timing, a.recurring, a.span_start, a.span_end, a.page, {_PLAN}
        FROM assignments a, unnest(a.lead_units) AS u(lead_unit)
        JOIN documents d ON d.doc_id = a.doc_id
        LEFT JOIN index_catalog c ON c.code = a.index_code""",
    "deadlines_wide": f"""
        SELECT dl.*, TRY_CAST(dl.date AS DATE) AS due_date, year(TRY_CAST(dl.date AS DATE)) AS due_year,
               quarter(TRY_CAST(dl.date AS DATE)) AS due_quarter, a.section_no, a.family, a.index_code,
               c.name_vi AS index_name, array_to_string(a.lead_units, '; ') AS lead, a.task, {_PLAN}
        FROM deadlines dl JOIN documents d ON d.doc_id = dl.doc_id
        LEFT JOIN assignments a ON a.doc_id = dl.doc_id AND a.assignment_id = dl.assignment_id
        LEFT JOIN index_catalog c ON c.code = a.index_code""",
    "scores_wide": f"""
        SELECT s.*, c.name_vi AS index_name, {_PLAN}
        FROM scores s JOIN documents d USING (doc_id)
        LEFT JOIN index_catalog c ON c.code = s.index_code""",
    "audit_wide": f"""
        SELECT au.*, au."check" AS check_name, {_PLAN}
        FROM audit au JOIN documents d USING (doc_id)""",
    "plan_summary": f"""
        SELECT d.doc_id, {_PLAN}, d.doc_number, d.index_families, d.missing_sections, d.status,
               (SELECT count(*) FROM assignments x WHERE x.doc_id = d.doc_id) AS assignments,
               (SELECT count(*) FROM deadlines x WHERE x.doc_id = d.doc_id) AS deadlines,
               (SELECT count(*) FROM scores x WHERE x.doc_id = d.doc_id AND x.kind = 'target') AS targets,
               (SELECT count(*) FROM audit x WHERE x.doc_id = d.doc_id AND NOT x.passed
                  AND x.severity = 'error') AS failed_errors,
               (SELECT count(*) FROM audit x WHERE x.doc_id = d.doc_id AND NOT x.passed
                  AND x.severity = 'warning') AS failed_warnings
        FROM documents d""",
}


def create_views(con: Any) -> None:
    """Add `index_catalog` (pipeline/data/indices.csv, data in schema store) and the wide views.
    Needs the per-table views (documents, assignments, …) to exist in the default schema."""
    import pyarrow as pa

    rows = read_csv("indices.csv")
    catalog = pa.table({k: [r.get(k) for r in rows] for k in ("family", "code", "name_vi", "aliases")})
    con.execute("CREATE SCHEMA IF NOT EXISTS store")
    con.register("incoming_catalog", catalog)
    con.execute("CREATE OR REPLACE TABLE store.index_catalog AS SELECT * FROM incoming_catalog")
    con.unregister("incoming_catalog")
    con.execute("CREATE OR REPLACE VIEW index_catalog AS SELECT * FROM store.index_catalog")
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")


def connect(out_dir: Path) -> Any:
    """An in-memory DuckDB with one view per table over OUT/<table>.parquet plus the wide views."""
    import duckdb

    from .linking import LINKED_TABLES
    from .writers.tables import TABLES

    con = duckdb.connect(":memory:")
    for name in (*TABLES, *LINKED_TABLES):
        path = out_dir / f"{name}.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path} not found (run vnplan ingest first)")
        literal = str(path.resolve()).replace("'", "''")
        con.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{literal}')")
    con.execute('CREATE VIEW citations AS SELECT * FROM "references"')
    create_views(con)
    return con


def run_query(out_dir: Path, sql: str) -> tuple[list[str], list[tuple]]:
    con = connect(out_dir)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall() if columns else []
    finally:
        con.close()


# ---------------------------------------------------------------- output

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:g}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value).replace("\n", " ")


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def format_table(columns: list[str], rows: list[tuple], max_width: int = 60) -> str:
    """Aligned plain-text table; cells longer than max_width are cut with '…'."""
    def cut(s: str) -> str:
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cut(_cell(v)) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def format_csv(columns: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def format_json(columns: list[str], rows: list[tuple]) -> str:
    records = [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=1)
