"""Links across plans: citations → the cited plan's doc_id, the province → district → commune
plan tree, one person identity across plans. A synthetic dataset of generated .txt plans goes
through the real pipeline (ingest), then link_dataset."""
from __future__ import annotations

import time

import pyarrow as pa
import pytest

from pipeline.ingest import ingest
from pipeline.linking import link_dataset, name_skeleton, number_key
from pipeline.rows import DocumentRow, PersonRow, ReferenceRow
from pipeline.store import iter_records
from pipeline.writers.tables import build_tables, table_schema


def _plan(upper: str | None, unit: str, number: str, place: str, date: tuple[int, int, int], title: str,
          basis: str, leader: str, leader_title: str, signer: str) -> str:
    d, m, y = date
    return "\n".join(([upper] if upper else []) + [
        "ỦY BAN NHÂN DÂN", unit.upper(), f"Số: {number}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", f"{place}, ngày {d:02d} tháng {m:02d} năm {y}", "", "KẾ HOẠCH", title, "",
        basis, "", "I. MỤC ĐÍCH, YÊU CẦU", "Nâng cao chất lượng phục vụ người dân.",
        "II. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Chỉ số Tính minh bạch",
        f"Lãnh đạo phụ trách: Đồng chí {leader}, {leader_title}.", "Cơ quan chủ trì: Văn phòng.",
        "Thời gian thực hiện: Thường xuyên.", "III. KINH PHÍ THỰC HIỆN", "Từ nguồn ngân sách năm.",
        "IV. TỔ CHỨC THỰC HIỆN", "Các đơn vị triển khai thực hiện./.", "Nơi nhận:", "- Như trên;", "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Đã ký)", signer, ""])


PLANS = {
    "tinh.txt": _plan(None, "Tỉnh Bắc Giang", "94/KH-UBND", "Bắc Giang", (20, 1, 2023),
                      "Cải thiện Chỉ số DDCI tỉnh Bắc Giang năm 2023", "Căn cứ Luật Tổ chức chính quyền địa phương;",
                      "Đỗ Minh Tâm", "Phó Chủ tịch UBND tỉnh", "Vũ Đức Thành"),
    "huyen.txt": _plan("UBND TỈNH BẮC GIANG", "Huyện Lục Nam", "49/KH-UBND", "Lục Nam", (13, 2, 2023),
                       "Cải thiện Chỉ số DDCI huyện Lục Nam năm 2023",
                       "Thực hiện Kế hoạch số 94/KH-UBND ngày 20/01/2023 của UBND tỉnh Bắc Giang;",
                       "Trần Văn Hùng", "Phó Chủ tịch UBND huyện", "Nguyễn Văn Bình"),
    "doingo-2023.txt": _plan("UBND HUYỆN LỤC NAM", "Thị trấn Đồi Ngô", "12/KH-UBND", "Đồi Ngô", (1, 3, 2023),
                             "Cải thiện Chỉ số DDCI thị trấn Đồi Ngô năm 2023",
                             "Thực hiện Kế hoạch số 49/KH-UBND ngày 13/02/2023 của UBND huyện Lục Nam;",
                             "Lê Thị Hoa", "Phó Chủ tịch UBND thị trấn", "Phạm Quốc Khánh"),
    # next year: the leader's name typed without one mark; the district plan it cites is not in the data
    "doingo-2024.txt": _plan("UBND HUYỆN LỤC NAM", "Thị trấn Đồi Ngô", "8/KH-UBND", "Đồi Ngô", (5, 3, 2024),
                             "Cải thiện Chỉ số DDCI thị trấn Đồi Ngô năm 2024",
                             "Thực hiện Kế hoạch số 30/KH-UBND ngày 15/02/2024 của UBND huyện Lục Nam;",
                             "Lê Thi Hoa", "Phó Chủ tịch UBND thị trấn", "Phạm Quốc Khánh"),
    # another commune of the district: cites "UBND huyện" unnamed; its leader has the same name
    "tamdi-2023.txt": _plan("UBND HUYỆN LỤC NAM", "Xã Tam Dị", "21/KH-UBND", "Tam Dị", (6, 3, 2023),
                            "Cải thiện Chỉ số DDCI xã Tam Dị năm 2023",
                            "Thực hiện Kế hoạch số 49/KH-UBND ngày 13/02/2023 của UBND huyện;",
                            "Lê Thị Hoa", "Phó Chủ tịch UBND xã", "Hà Văn Long"),
}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pa.Table]:
    src = tmp_path_factory.mktemp("plans")
    for name, text in PLANS.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    ingest(src, out, workers=1, progress=False)
    return link_dataset(build_tables(iter_records(out)))


def _doc_ids(tables: dict[str, pa.Table]) -> dict[str, str]:
    return {r["source_name"]: r["doc_id"] for r in tables["documents"].to_pylist()}


def test_citations_point_to_the_cited_plan(linked: dict[str, pa.Table]) -> None:
    ids = _doc_ids(linked)
    targets = {(r["doc_id"], r["number"]): r["target_doc_id"] for r in linked["references"].to_pylist()}
    assert targets[(ids["doingo-2023.txt"], "49/KH-UBND")] == ids["huyen.txt"]
    assert targets[(ids["tamdi-2023.txt"], "49/KH-UBND")] == ids["huyen.txt"]  # "UBND huyện": its own district
    assert targets[(ids["huyen.txt"], "94/KH-UBND")] == ids["tinh.txt"]
    assert targets[(ids["doingo-2024.txt"], "30/KH-UBND")] is None  # not in the dataset


def test_plan_tree_runs_province_district_commune(linked: dict[str, pa.Table]) -> None:
    ids = _doc_ids(linked)
    edges = {(e["parent_doc_id"], e["child_doc_id"]): e for e in linked["plan_tree"].to_pylist()}
    assert set(edges) == {(ids["tinh.txt"], ids["huyen.txt"]), (ids["huyen.txt"], ids["doingo-2023.txt"]),
                          (ids["huyen.txt"], ids["tamdi-2023.txt"])}
    e = edges[(ids["huyen.txt"], ids["doingo-2023.txt"])]
    assert (e["parent_issuer"], e["parent_level"], e["parent_number"]) == (
        "UBND huyện Lục Nam", "district", "49/KH-UBND")
    assert (e["child_issuer"], e["child_level"], e["is_basis"]) == ("UBND thị trấn Đồi Ngô", "commune", True)
    assert e["via_raw"].startswith("Kế hoạch số 49/KH-UBND ngày 13/02/2023")


def test_persons_merge_within_a_unit_and_never_across_units(linked: dict[str, pa.Table]) -> None:
    ids = _doc_ids(linked)
    persons = [p for p in linked["persons"].to_pylist() if name_skeleton(p["name"]) == "le thi hoa"]
    assert len(persons) == 2  # Đồi Ngô's and Tam Dị's: same name, two communes
    doingo = next(p for p in persons if p["units"] == ["UBND thị trấn Đồi Ngô"])
    assert doingo["doc_ids"] == sorted([ids["doingo-2023.txt"], ids["doingo-2024.txt"]])
    assert (doingo["name"], doingo["variants"], doingo["first_year"], doingo["last_year"]) == (
        "Lê Thị Hoa", ["Lê Thi Hoa"], 2023, 2024)
    tamdi = next(p for p in persons if p["units"] == ["UBND xã Tam Dị"])
    assert tamdi["doc_ids"] == [ids["tamdi-2023.txt"]] and tamdi["person_id"] != doingo["person_id"]
    people = linked["people"].to_pylist()
    assert all(r["person_id"] for r in people)
    signer = {r["person_id"] for r in people if r["name"] == "Phạm Quốc Khánh"}
    assert len(signer) == 1


# --- edge cases on hand-made tables --------------------------------------------------------------

def _table(cls: type, rows: list[dict]) -> pa.Table:
    schema = table_schema(cls)
    return pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)


def _docs(*rows: dict) -> pa.Table:
    base = {"source_path": "x", "source_name": "x", "file_sha256": "0", "file_format": "txt", "status": "ok"}
    return _table(DocumentRow, [{**base, **r} for r in rows])


def _ref(doc_id: str, number: str, issuer: str | None, date: str | None = None) -> dict:
    return {"doc_id": doc_id, "doc_kind": "Kế hoạch", "number": number, "issuer": issuer, "date": date,
            "is_basis": True, "raw": f"Kế hoạch số {number}", "span_start": 0, "span_end": 1}


DISTRICT = {"admin_level": "district", "locality_type": "huyện", "locality": "Châu Thành", "doc_symbol": "KH-UBND"}


def test_same_number_in_two_provinces_links_only_inside_the_citing_province() -> None:
    docs = _docs({**DISTRICT, "doc_id": "d1", "issuer": "UBND huyện Châu Thành", "province": "Tiền Giang",
                  "doc_number": "7", "issue_date": "2024-01-05"},
                 {**DISTRICT, "doc_id": "d2", "issuer": "UBND huyện Châu Thành", "province": "Long An",
                  "doc_number": "7", "issue_date": "2024-01-09"},
                 {"doc_id": "c1", "issuer": "UBND xã Long Định", "admin_level": "commune", "locality": "Long Định",
                  "district": "Châu Thành", "province": "Tiền Giang"},
                 {"doc_id": "c2", "issuer": "UBND xã Không Rõ", "admin_level": "commune", "locality": "Không Rõ"})
    refs = _table(ReferenceRow, [_ref("c1", "07/KH-UBND", "UBND huyện Châu Thành"),
                                 _ref("c2", "7/KH-UBND", "UBND huyện Châu Thành"),  # province unknown: 2 plans
                                 _ref("c1", "7/KH-UBND", "UBND huyện Châu Thành", "2023-01-05"),  # wrong year
                                 _ref("c1", "7/KH-UBND", "Huyện ủy Châu Thành")])  # not the People's Committee
    out = link_dataset({"documents": docs, "references": refs})
    assert out["references"].column("target_doc_id").to_pylist() == ["d1", None, None, None]
    assert [(e["parent_doc_id"], e["child_doc_id"]) for e in out["plan_tree"].to_pylist()] == [("d1", "c1")]


def test_people_of_units_unknown_stay_apart_and_ocr_variants_merge() -> None:
    commune = {"admin_level": "commune", "locality": "Tam Dị", "district": "Lục Nam", "province": "Bắc Giang",
               "admin_code": "07456", "issuer": "UBND xã Tam Dị"}
    docs = _docs({**commune, "doc_id": "a", "issue_date": "2023-03-01"},
                 {**commune, "doc_id": "b", "period_start_year": 2025},
                 {"doc_id": "h", "issuer": "UBND huyện Lục Nam", "admin_level": "district", "locality": "Lục Nam",
                  "province": "Bắc Giang", "admin_code": "218"},
                 {"doc_id": "u1", "issuer": "UBND xã Hồng Phong", "admin_level": "commune", "locality": "Hồng Phong"},
                 {"doc_id": "u2", "issuer": "UBND xã Hồng Phong", "admin_level": "commune", "locality": "Hồng Phong"})

    def person(doc_id: str, name: str, title: str = "Chủ tịch UBND xã") -> dict:
        return {"doc_id": doc_id, "name": name, "title": title, "roles": ["signer"], "index_codes": [],
                "variants": [], "span_start": 0, "span_end": 1}

    people = _table(PersonRow, [person("a", "Nông Văn Lượng"), person("b", "Nông Vãn Luợng"),
                                person("b", "Lương Thị Mai", "Phó Chủ tịch UBND xã"),
                                person("a", "Lương Thi rnai", "Phó Chủ tịch UBND xã"),
                                person("u1", "Hà Văn Sơn"), person("u2", "Hà Văn Sơn"),
                                person("a", "Trần Văn Hùng", "Phó Chủ tịch UBND huyện"),  # the district's
                                person("h", "Trần Văn Hùng", "Phó Chủ tịch UBND huyện")])
    out = link_dataset({"documents": docs, "people": people})
    ids = out["people"].column("person_id").to_pylist()
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]
    assert ids[4] != ids[5]  # "xã Hồng Phong" without district: the unit is unknown, no merge
    assert ids[6] == ids[7]  # a district official named in a commune plan is the district plan's official
    persons = {p["person_id"]: p for p in out["persons"].to_pylist()}
    assert (persons[ids[0]]["first_year"], persons[ids[0]]["last_year"], persons[ids[0]]["n_docs"]) == (2023, 2025, 2)
    assert persons[ids[0]]["admin_codes"] == ["07456"]


def test_keys() -> None:
    assert number_key("049 /KH-UBND") == number_key("49/KH-UBND") == "49khubnd"
    assert name_skeleton("Hoàng Văn Huấn") == name_skeleton("Hoàng Vãn Huân") == "hoang van huan"


def test_linking_is_deterministic_and_fast_on_500_plans() -> None:
    docs, refs, people = [], [], []
    for i in range(500):
        district = f"Huyện {i % 25}"
        docs.append({"doc_id": f"{i:04d}", "issuer": f"UBND xã X{i}", "admin_level": "commune",
                     "locality": f"X{i}", "district": district, "province": "Bắc Giang", "doc_number": str(i),
                     "doc_symbol": "KH-UBND", "issue_date": "2024-02-01"})
        refs += [_ref(f"{i:04d}", f"{j}/KH-UBND", f"UBND xã X{j}", "2024-02-01") for j in (i + 1, i + 1000)]
        refs += [_ref(f"{i:04d}", "61/2018/NĐ-CP", "Chính phủ")] * 8
        people += [{"doc_id": f"{i:04d}", "name": f"Nguyễn Văn {k}", "title": "Phó Chủ tịch UBND xã",
                    "roles": ["leader"], "index_codes": [], "variants": [], "span_start": 0, "span_end": 1}
                   for k in ("An", "Bình", "Cường", "Dũng")]
    tables = {"documents": _docs(*docs), "references": _table(ReferenceRow, refs), "people": _table(PersonRow, people)}
    started = time.monotonic()
    first = link_dataset(tables)
    assert time.monotonic() - started < 2.0
    second = link_dataset(tables)
    for name in ("references", "people", "persons", "plan_tree"):
        assert first[name].equals(second[name]), name
    assert first["references"].column("target_doc_id").to_pylist()[:2] == ["0001", None]
    assert len(first["persons"]) == 2000
    assert tables["references"].schema.get_field_index("target_doc_id") == -1  # inputs untouched
