"""Broken and hostile input, all in ONE ingest batch with good corpus files: every bad file gets
exactly one clear `errors` row, the good files of the same batch come out complete, nothing
escapes INPUT_DIR and no output name comes from a document."""
from __future__ import annotations

import csv
import os
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import corpus_file, processed
from hostile_make import (
    SYNTHETIC_PLAN,
    make_docx,
    make_many_pages_pdf,
    make_pdf,
    make_png,
    make_zip,
    rewrite_zip,
)
from hypothesis import given
from hypothesis import strategies as st

from pipeline.file_hashes import HASHES_NAME
from pipeline.guards import check_file
from pipeline.outlock import LOCK_NAME
from pipeline.readers import ReadError
from pipeline.store import BUILT_NAME, INDEX_NAME, STAGING_PREFIX
from pipeline.writers.tables import FORMULA_START, safe_cell

ASCII_PLAN = ["KE HOACH so 12/KH-UBND", "Thuc hien cai thien chi so nang luc canh tranh nam 2024",
              "I. MUC DICH, YEU CAU", "Nang cao chat luong phuc vu nguoi dan."]
SECRET = "NỘI DUNG BÊN NGOÀI THƯ MỤC"

# name -> (status, error_type, words the message must contain); None = no errors row at all
EXPECTED: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "bad/empty.pdf": ("error", "empty_file", ("empty",)),
    "bad/blank.txt": ("error", "empty_file", ("empty",)),
    "bad/truncated.pdf": ("error", "corrupt_file", ("damaged", "again")),
    "bad/encrypted.pdf": ("error", "encrypted", ("password",)),
    "bad/encrypted-empty-password.pdf": ("ok", None, ()),
    "bad/broken-xref.pdf": ("ok", None, ()),
    "bad/many-pages.pdf": ("error", "too_many_pages", ("3000 pages", "max_pdf_pages")),
    "bad/word-named.pdf": ("ok", "warning", ("extension_mismatch", ".pdf", "Word")),
    "bad/corrupt.docx": ("error", "corrupt_file", ("damaged",)),
    "bad/bomb-ratio.docx": ("error", "zip_bomb", ("max_zip_ratio",)),
    "bad/bomb-declared.docx": ("error", "zip_bomb", ("max_unzipped_bytes",)),
    "bad/entities.docx": ("error", "xml_entities", ("ENTITY",)),
    "bad/deep.docx": ("error", "too_large", ("max_xml_depth",)),
    "bad/sheet.xlsx": ("error", "unsupported_format", ("Excel",)),
    "bad/slides.pptx": ("error", "unsupported_format", ("PowerPoint",)),
    "bad/archive.zip": ("error", "unsupported_format", ("zip archive",)),
    "bad/setup.exe": ("error", "unsupported_format", ("Windows program",)),
    "bad/program": ("error", "unsupported_format", ("Linux program",)),
    "bad/table.csv": ("error", "unsupported_format", (".csv",)),
    "bad/huge.png": ("error", "too_large", ("max_image_pixels",)),
    "bad/garbage.png": ("error", "corrupt_file", ("damaged image",)),
    "bad/truncated.png": ("error", "corrupt_file", ("damaged",)),
}
READER_BUGS: dict[str, str] = {}


def _bad_files(root: Path) -> None:
    bad = root / "bad"
    bad.mkdir()
    docx = corpus_file("phu-son-2023.docx")
    (bad / "empty.pdf").write_bytes(b"")
    (bad / "blank.txt").write_bytes(b" \r\n\n\t")
    (bad / "truncated.pdf").write_bytes(corpus_file("phu-son-2023.pdf").read_bytes()[:30000])
    (bad / "encrypted.pdf").write_bytes(make_pdf([ASCII_PLAN], user_password=b"mat-khau"))
    (bad / "encrypted-empty-password.pdf").write_bytes(make_pdf([ASCII_PLAN], user_password=b""))
    (bad / "broken-xref.pdf").write_bytes(make_pdf([ASCII_PLAN, ASCII_PLAN[2:]], broken_xref=True))
    last_page = ["IV. TO CHUC THUC HIEN", "Cac bo phan trien khai ke hoach nay."]
    pages = [ASCII_PLAN, ["PAGE TWO IS DAMAGED"], last_page]
    (bad / "bad-page.pdf").write_bytes(make_pdf(pages, bad_pages=(2,)))
    (bad / "many-pages.pdf").write_bytes(make_many_pages_pdf(3000))
    shutil.copy(docx, bad / "word-named.pdf")
    (bad / "corrupt.docx").write_bytes(docx.read_bytes()[:20000])
    rewrite_zip(docx, bad / "bomb-ratio.docx", add={"word/media/image9.bin": b"\0" * (20 << 20)})
    _declared_bomb(docx, bad / "bomb-declared.docx")
    body = zipfile.ZipFile(docx).read("word/document.xml").split(b"?>", 1)[1]
    rewrite_zip(docx, bad / "entities.docx", replace={"word/document.xml": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body)})
    rewrite_zip(docx, bad / "deep.docx", replace={"word/document.xml": (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + b"<w:tbl>" * 300 + b"</w:tbl>" * 300 + b"</w:body></w:document>")})
    make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}, bad / "sheet.xlsx")
    make_zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}, bad / "slides.pptx")
    make_zip({"ke-hoach.txt": b"KE HOACH"}, bad / "archive.zip")
    (bad / "setup.exe").write_bytes(b"MZ\x90\x00\x03" + bytes(range(256)))
    (bad / "program").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    (bad / "table.csv").write_text("chỉ số,điểm\nPAPI,42\n", encoding="utf-8")
    (bad / "huge.png").write_bytes(make_png(60000, 60000))
    (bad / "garbage.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x13" * 200)
    (bad / "truncated.png").write_bytes(make_png(300, 200))


def _declared_bomb(src: Path, dest: Path) -> None:
    """A DOCX whose zip directory declares a 3 GB part (a lying or bombing package)."""
    rewrite_zip(src, dest, add={"word/media/big.bin": b"x" * 100})
    data = bytearray(dest.read_bytes())
    entry = data.rfind(b"PK\x01\x02")  # central directory record of the last part
    data[entry + 24:entry + 28] = (3 << 30).to_bytes(4, "little")
    dest.write_bytes(bytes(data))


def _plan_variant(number: int) -> str:
    return SYNTHETIC_PLAN.replace("Số: 27/", f"Số: {number}/")


def _named_files(root: Path) -> None:
    names = root / "names"
    names.mkdir()
    nfd = unicodedata.normalize("NFD", "kế hoạch thủy lợi NFD.txt")
    (names / nfd).write_text(_plan_variant(31), encoding="utf-8")
    stem = "kế hoạch cải thiện chỉ số " * 12
    cut = stem.encode()[:251].decode("utf-8", "ignore")
    long = cut + "x" * (251 - len(cut.encode())) + ".txt"  # exactly 255 bytes, the file system's limit
    (names / long).write_text(_plan_variant(32), encoding="utf-8")
    # not UTF-8: a name from an old zip or a Windows share
    latin1 = Path(os.fsdecode(bytes(names) + b"/k\xe9 ho\xe1ch.txt"))
    latin1.write_text(_plan_variant(33), encoding="utf-8")
    for i, formula in enumerate(("=HYPERLINK(1)", "+cmd", "-2+3", "@SUM(A1)")):
        (names / f"{formula}.txt").write_text(_plan_variant(40 + i), encoding="utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from pipeline.cli import main

    root = tmp_path_factory.mktemp("hostile")
    inp, out, outside = root / "in", root / "out", root / "outside"
    inp.mkdir()
    outside.mkdir()
    (inp / "good").mkdir()
    for name in ("hong-phong-2023.docx", "cao-lau-2023.pdf"):
        shutil.copy(corpus_file(name), inp / "good" / name)
    _bad_files(inp)
    _named_files(inp)
    (inp / "not-plans").mkdir()
    make_docx(["ỦY BAN NHÂN DÂN", "XÃ PHÚ LỘC", "Số: 15/GM-UBND", "Phú Lộc, ngày 02 tháng 5 năm 2024",
               "GIẤY MỜI",
               "Họp triển khai cải thiện Chỉ số PAPI năm 2024",
               "Ủy ban nhân dân xã Phú Lộc trân trọng kính mời các đồng chí tham dự cuộc họp.",
               "Thời gian: 08 giờ 00 ngày 06/5/2024.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Khoa"],
              inp / "not-plans" / "giay-moi.docx")
    (inp / "not-plans" / "quyet-dinh.txt").write_text(
        _plan_variant(50).replace("KẾ HOẠCH\n", "QUYẾT ĐỊNH\n").replace("/KH-", "/QĐ-"), encoding="utf-8")
    secret = _plan_variant(60).replace("MỤC ĐÍCH, YÊU CẦU", SECRET)
    (outside / "secret.txt").write_text(secret, encoding="utf-8")
    (inp / "link-out.txt").symlink_to(outside / "secret.txt")
    (inp / "link-dir").symlink_to(outside, target_is_directory=True)
    (inp / "z-copies").mkdir()
    (inp / "z-copies" / "cao-lau-copy.pdf").write_bytes(corpus_file("cao-lau-2023.pdf").read_bytes())
    code = main(["ingest", str(inp), "--out", str(out), "--workers", "2", "--timeout", "120"])
    docs = pq.read_table(out / "documents.parquet").to_pandas()
    errors = pq.read_table(out / "errors.parquet").to_pandas()
    return {"code": code, "in": inp, "out": out, "docs": docs, "errors": errors,
            "assignments": pq.read_table(out / "assignments.parquet").to_pandas(),
            "audit": pq.read_table(out / "audit.parquet").to_pandas()}


def _doc(batch: dict, rel: str):
    rows = batch["docs"][batch["docs"].source_path == rel]
    assert len(rows) == 1, f"{rel}: {len(rows)} documents rows"
    return rows.iloc[0]


def _errors(batch: dict, rel: str) -> list[dict]:
    return batch["errors"][batch["errors"].source_path == rel].to_dict("records")


def test_batch_exits_zero_and_every_file_has_a_record(batch: dict) -> None:
    assert batch["code"] == 0
    walked = {p for p in batch["in"].rglob("*") if p.is_file() and "link-" not in str(p)
              and p.name != "cao-lau-copy.pdf"}
    recorded = set(batch["docs"].source_path)
    assert len(recorded) == len(walked)
    assert {k for k in EXPECTED} <= recorded


@pytest.mark.parametrize("rel", [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=READER_BUGS[k]))
                                 if k in READER_BUGS else k for k in EXPECTED])
def test_bad_file_gets_exactly_one_clear_errors_row(batch: dict, rel: str) -> None:
    status, error_type, words = EXPECTED[rel]
    doc = _doc(batch, rel)
    assert doc.status == status
    rows = _errors(batch, rel)
    if error_type is None:
        assert rows == []
        return
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["stage"], row["error_type"]) == ("read", error_type)
    assert row["doc_id"] == doc.doc_id
    for word in words:
        assert word.lower() in row["message"].lower(), row["message"]
    assert "Traceback" not in row["message"]


def test_readable_damaged_pdfs_keep_their_text(batch: dict) -> None:
    opened = _doc(batch, "bad/encrypted-empty-password.pdf")
    text = (batch["out"] / "text" / f"{opened.doc_id}.txt").read_text()
    assert "Thuc hien cai thien chi so nang luc canh tranh nam 2024" in text
    broken = _doc(batch, "bad/broken-xref.pdf")
    assert broken.pages == 2
    bad_page = _doc(batch, "bad/bad-page.pdf")
    text = (batch["out"] / "text" / f"{bad_page.doc_id}.txt").read_text()
    assert bad_page.pages == 3
    assert "KE HOACH so 12/KH-UBND" in text and "Cac bo phan trien khai ke hoach nay." in text


def test_page_that_cannot_be_read_is_reported_and_document_partial(batch: dict) -> None:
    doc = _doc(batch, "bad/bad-page.pdf")
    rows = _errors(batch, "bad/bad-page.pdf")
    assert len(rows) == 1 and "2" in rows[0]["message"]
    assert doc.status == "partial"


def test_docx_named_pdf_is_read_as_docx(batch: dict) -> None:
    doc = _doc(batch, "bad/word-named.pdf")
    assert doc.file_format == "docx" and doc.doc_type == "Kế hoạch"
    assert (batch["assignments"].doc_id == doc.doc_id).sum() > 0


@pytest.mark.parametrize("name", ["hong-phong-2023.docx", "cao-lau-2023.pdf"])
def test_good_files_in_the_bad_batch_are_complete(batch: dict, name: str) -> None:
    doc = _doc(batch, f"good/{name}")
    assert doc.status == "ok" and _errors(batch, f"good/{name}") == []
    alone = processed(name)
    got = batch["assignments"][batch["assignments"].doc_id == doc.doc_id]
    assert len(got) == len(alone.assignments) > 0
    assert "Công chức Văn hóa - Xã hội" in {u for units in got.lead_units for u in units}


def test_not_a_plan_is_ingested_and_audited_as_not_a_plan(batch: dict) -> None:
    for rel, kind in (("not-plans/giay-moi.docx", "Giấy mời"), ("not-plans/quyet-dinh.txt", "Quyết định")):
        doc = _doc(batch, rel)
        assert (doc.status, doc.doc_type) == ("ok", kind)
        audit = batch["audit"][batch["audit"].doc_id == doc.doc_id].set_index("check")
        assert not audit.loc["is_plan", "passed"] and "not a plan" in audit.loc["is_plan", "detail"]
        assert "has_assignments" not in audit.index  # plan-only checks skipped
    plan = _doc(batch, "names/" + unicodedata.normalize("NFC", "kế hoạch thủy lợi NFD.txt"))
    audit = batch["audit"][batch["audit"].doc_id == plan.doc_id].set_index("check")
    assert audit.loc["is_plan", "passed"]


def test_symlinks_out_of_input_dir_are_not_followed(batch: dict) -> None:
    assert not any("link-" in p for p in batch["docs"].source_path)
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in (batch["out"] / "text").iterdir())


def test_duplicate_file_is_reported(batch: dict) -> None:
    assert any("cao-lau-copy.pdf" in r for r in batch["errors"].source_path)


def test_names_in_three_encodings_are_ingested(batch: dict) -> None:
    names = {p for p in batch["docs"].source_name}
    assert unicodedata.normalize("NFC", "kế hoạch thủy lợi NFD.txt") in names
    assert "k\ufffd ho\ufffdch.txt" in names
    assert any(len(n.encode()) == 255 for n in names)
    for name in names:
        assert name == unicodedata.normalize("NFC", name)
        name.encode("utf-8")  # no lone surrogates reach the tables


def test_output_names_never_come_from_documents(batch: dict) -> None:
    out = batch["out"]
    ids = set(batch["docs"].doc_id)
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)
    records = {p.name for p in (out / "json").iterdir()} - {INDEX_NAME, BUILT_NAME, HASHES_NAME}  # the store's own
    assert records == {f"{i}.json" for i in ids}
    assert {p.name for p in (out / "text").iterdir()} == {f"{i}.txt" for i in ids}
    top = {p.name for p in out.iterdir()}
    assert not any(n.startswith(STAGING_PREFIX) for n in top)
    assert top <= {"json", "text", "report.html", "plans.duckdb", LOCK_NAME} | {f"{t}.{e}" for t in (
        "documents", "sections", "assignments", "deadlines", "scores", "people", "references", "audit",
        "errors", "persons", "plan_tree") for e in ("csv", "parquet")}


def test_csv_cells_never_start_a_formula(batch: dict) -> None:
    out = batch["out"]
    for path in out.glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    number = re.fullmatch(r"-\d+(\.\d+)?", cell)  # a negative number is no formula
                    assert number or not cell.startswith(FORMULA_START), (path.name, cell)
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        names = {r["source_name"] for r in csv.DictReader(f)}
    assert {"'=HYPERLINK(1).txt", "'+cmd.txt", "'-2+3.txt", "'@SUM(A1).txt"} <= names


def test_failed_table_write_leaves_previous_dataset_intact(batch: dict, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.store import iter_records
    from pipeline.writers import tables

    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(tables, "write_duckdb", crash)
    with pytest.raises(OSError):
        tables.write_tables(out, tables.build_tables(iter_records(out)))
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]


# --- limits that are too costly to hit for real: lowered in-process -----------------------------

@pytest.fixture
def low_limits(monkeypatch: pytest.MonkeyPatch) -> dict:
    from pipeline import guards

    lim = dict(guards.limits())
    monkeypatch.setattr(guards, "limits", lambda: lim)
    return lim


def test_enormous_file_refused_by_size(tmp_path: Path, low_limits: dict) -> None:
    low_limits["max_file_bytes"] = 1000
    path = tmp_path / "big.txt"
    path.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    with pytest.raises(ReadError) as err:
        check_file(path)
    assert err.value.error_type == "too_large" and "max_file_bytes" in str(err.value)


def test_text_limit_counts_characters_not_bytes(tmp_path: Path, low_limits: dict) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("ệ" * 600, encoding="utf-8")  # 1800 bytes, 600 characters
    low_limits["max_text_chars"] = 1000
    assert check_file(path) == []
    low_limits["max_text_chars"] = 500
    with pytest.raises(ReadError, match="max_text_chars"):
        check_file(path)


def test_multipage_tiff_page_limit(tmp_path: Path, low_limits: dict) -> None:
    from PIL import Image

    path = tmp_path / "scan.tif"
    frames = [Image.new("L", (20, 20), 255) for _ in range(4)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    low_limits["max_image_frames"] = 3
    with pytest.raises(ReadError) as err:
        check_file(path)
    assert err.value.error_type == "too_many_pages" and "max_image_frames" in str(err.value)


def test_entity_declaration_in_any_part_and_in_utf16_is_refused(tmp_path: Path) -> None:
    docx = corpus_file("hong-phong-2023.docx")
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:styles/>'
    path = rewrite_zip(docx, tmp_path / "xxe.docx", replace={"word/styles.xml": xml.encode("utf-16")})
    with pytest.raises(ReadError) as err:
        check_file(path)
    assert err.value.error_type == "xml_entities" and "word/styles.xml" in str(err.value)


def test_entity_text_in_body_is_not_a_declaration(tmp_path: Path) -> None:
    """The words <!ENTITY typed in the document are escaped text, not markup: the plan reads."""
    path = make_docx(["KẾ HOẠCH", "Ví dụ mã độc: <!ENTITY x SYSTEM> và <!DOCTYPE>"], tmp_path / "ok.docx")
    assert check_file(path) == []


# --- CSV formula injection: property tests of the writers' safe_cell ---------------------------

@given(st.text(max_size=40))
def test_safe_cell_never_leaves_a_formula_and_loses_nothing(text: str) -> None:
    out = safe_cell(text)
    assert not out.startswith(FORMULA_START)
    assert out == text if not text.startswith(FORMULA_START) else out == "'" + text


@given(st.sampled_from(FORMULA_START), st.text(max_size=30))
def test_safe_cell_in_written_csv(trigger: str, rest: str) -> None:
    import pyarrow as pa

    from pipeline.writers.tables import csv_cells

    table = pa.table({"task": [trigger + rest], "lead_units": [[trigger + rest, "Công an xã"]]})
    cells = csv_cells(table).to_pylist()[0]
    assert cells["task"] == "'" + trigger + rest
    assert cells["lead_units"] == "'" + trigger + rest + "; Công an xã"


@given(st.lists(st.tuples(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.floats(allow_nan=False))),
                max_size=5))
def test_written_csv_reads_back_cell_for_cell(rows: list) -> None:
    import tempfile

    import pyarrow as pa

    from pipeline.writers.tables import csv_cells, write_csv

    table = pa.table({"text": [r[0] for r in rows], "maybe": [r[1] for r in rows], "score": [r[2] for r in rows]},
                     schema=pa.schema([("text", pa.string()), ("maybe", pa.string()), ("score", pa.float64())]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        write_csv(table, path)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        with open(path, encoding="utf-8-sig", newline="") as f:
            read = list(csv.reader(f))
    assert read[0] == ["text", "maybe", "score"]
    assert read[1:] == [list(r.values()) for r in csv_cells(table).to_pylist()]


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()))
def test_safe_cell_leaves_non_text_alone(value: object) -> None:
    assert safe_cell(value) == value
