"""`vnplan query`: SQL over the tables and the wide views, output formats, and plans.duckdb with
the convenience views opening in DuckDB and pandas."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import ingest_corpus

from pipeline.cli import main
from pipeline.query import VIEWS, create_views, format_table, run_query

NAMES = ("chi-lang-2025.txt", "hong-phong-2023.md", "phu-son-2023.txt")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return ingest_corpus(tmp_path_factory.mktemp("query"), NAMES)


def test_every_view_answers(out):
    for view in [*VIEWS, "documents", "citations", "index_catalog"]:
        columns, _ = run_query(out, f"SELECT * FROM {view} LIMIT 1")
        assert columns, view
    columns, _ = run_query(out, "SELECT * FROM assignments_wide LIMIT 0")
    assert {"issuer", "district", "province", "admin_level", "index_name", "lead"} <= set(columns)


def test_wide_views_carry_the_plan(out):
    _, rows = run_query(out, "SELECT source_name, issuer, failed_errors FROM plan_summary ORDER BY source_name")
    issuers = {r[0]: r[1] for r in rows}
    assert issuers["hong-phong-2023.md"] == "UBND xã Hồng Phong"
    assert all(r[2] >= 1 for r in rows)  # every corpus plan fails an error check (no number at least)
    _, rows = run_query(out, "SELECT source_name FROM audit_wide WHERE check_name = 'has_funding' AND NOT passed "
                             "ORDER BY 1")
    assert [r[0] for r in rows] == ["chi-lang-2025.txt", "phu-son-2023.txt"]
    _, rows = run_query(out, "SELECT name_vi FROM index_catalog WHERE code = 'DDCI.TRANSPARENCY'")
    assert rows == [("Tính minh bạch và tiếp cận thông tin",)]


def test_cli_formats_and_exit_codes(out, tmp_path, capsys):
    sql = "SELECT source_name, index_families FROM documents ORDER BY source_name"
    assert main(["query", str(out), sql]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("source_name") and "(3 rows)" in text
    assert main(["query", str(out), sql, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[2]["source_name"] == "phu-son-2023.txt" and isinstance(rows[2]["index_families"], list)
    assert main(["query", str(out), sql, "--csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "source_name,index_families"
    assert main(["query", str(out), "SELECT * FROM no_such_table"]) == 1
    assert main(["query", str(tmp_path / "missing"), "SELECT 1"]) == 2


def test_format_table_aligns_and_cuts():
    text = format_table(["a", "long"], [("xã Tân Lập", ["Văn phòng", "Tư pháp"]), (None, "x" * 100)], max_width=20)
    lines = text.splitlines()
    assert lines[0].index("|") == lines[2].index("|") == lines[3].index("|")
    assert "Văn phòng; Tư pháp" in lines[2] and lines[3].endswith("…")


def test_views_inside_plans_duckdb_open_in_duckdb_and_pandas(out, tmp_path):
    db = tmp_path / "plans.duckdb"
    shutil.copy(out / "plans.duckdb", db)
    con = duckdb.connect(str(db))
    create_views(con)
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    df = con.execute("SELECT source_name, admin_level FROM plan_summary ORDER BY 1").df()
    n = con.execute("SELECT count(*) FROM assignments_wide").fetchone()[0]
    con.close()
    assert list(df["source_name"]) == list(NAMES)
    assert df.loc[0, "admin_level"] == "district"  # Chi Lăng is a huyện
    assert n == run_query(out, "SELECT count(*) FROM assignments")[1][0][0]
