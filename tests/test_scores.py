"""Scores extractor: real corpus values plus synthetic plans of other places, years and families."""
from __future__ import annotations

import pytest

from extractors.scores import extract_scores, plan_family, plan_years
from pipeline.model import Block, Cell, PlanDoc
from tests.conftest import plan

HONG_PHONG_TARGETS = {
    "DDCI.TRANSPARENCY": 8.25, "DDCI.TIME_COST": 9.36, "DDCI.INFORMAL_COST": 7.73,
    "DDCI.EQUAL_COMPETITION": 5.45, "DDCI.BUSINESS_SUPPORT": 7.02, "DDCI.LEGAL_INSTITUTIONS": 8.26,
    "DDCI.LEADERSHIP": 9.30, "DDCI.LAND_ACCESS": 6.31,
}
HONG_PHONG_WEIGHTS = {
    "DDCI.TRANSPARENCY": 30, "DDCI.TIME_COST": 5, "DDCI.INFORMAL_COST": 10, "DDCI.EQUAL_COMPETITION": 5,
    "DDCI.BUSINESS_SUPPORT": 10, "DDCI.LEGAL_INSTITUTIONS": 10, "DDCI.LEADERSHIP": 20, "DDCI.LAND_ACCESS": 10,
}


def synthetic(text: str) -> PlanDoc:
    return PlanDoc("t", "t.txt", "t.txt", "", "txt", [], text=text)


def by(rows, **want):
    return [r for r in rows if all(getattr(r, k) == v for k, v in want.items())]


def check_spans(doc: PlanDoc, rows) -> None:
    for r in rows:
        assert doc.text[r.span_start:r.span_end] == r.raw


@pytest.mark.parametrize("name", ["hong-phong-2023.docx", "hong-phong-2023.md"])
def test_hong_phong_targets_and_weights(name):
    doc = plan(name)
    rows = extract_scores(doc)
    check_spans(doc, rows)
    targets = by(rows, kind="target", unit="điểm")
    components = {r.index_code: r.value for r in targets if r.index_code != "DDCI.TOTAL"}
    assert components == pytest.approx(HONG_PHONG_TARGETS)
    assert all(r.comparator == ">=" and r.year == 2023 and r.family == "DDCI" for r in targets
               if r.index_code != "DDCI.TOTAL")
    (total,) = by(rows, kind="target", index_code="DDCI.TOTAL")
    assert (total.value, total.comparator, total.year) == (pytest.approx(80.08), "=", 2023)
    assert "80,08" in total.raw
    weights = {r.index_code: r.value for r in by(rows, kind="weight")}
    assert weights == HONG_PHONG_WEIGHTS
    assert all(r.unit == "%" for r in by(rows, kind="weight"))
    # "Điểm phần đầu năm 2023 là 61,68 điểm" is the plain sum of the component targets: not kept
    assert not [r for r in rows if r.value == pytest.approx(61.68)]
    assert len(rows) == 17 and not by(rows, kind="result")


def test_target_evidence_is_the_clause():
    doc = plan("hong-phong-2023.docx")
    (row,) = by(extract_scores(doc), kind="target", index_code="DDCI.TRANSPARENCY")
    assert "Tính minh bạch và tiếp cận thông tin" in row.raw and row.raw.endswith("8,25 điểm trở lên")
    assert row.indicator is None and row.rank is None and row.change is None


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "phu-son-2023.docx"])
def test_plans_without_numbers_yield_no_scores(name):
    assert extract_scores(plan(name)) == []


def test_plan_years_and_family():
    assert plan_years(plan("hong-phong-2023.docx")) == (2023, 2023)
    assert plan_years(plan("cao-lau-2023.txt")) == (2023, 2023)
    assert plan_years(plan("phu-son-2023.docx")) == (2023, 2025)
    assert plan_family(plan("hong-phong-2023.docx")) == "DDCI"
    assert plan_family(plan("phu-son-2023.docx")) is None


RESULTS_DDCI = """KẾ HOẠCH
Nâng cao chỉ số DDCI huyện Bình Gia năm 2023
I. ĐÁNH GIÁ KẾT QUẢ
Kết quả xếp hạng DCCI năm 2022 huyện Bình Gia đứng thứ 3/11 huyện, thành phố với số điểm 70,12 điểm, \
tăng 1,5 điểm so với năm 2021. Cụ thể các chỉ số thành phần như sau:
(1) Chỉ số Tính minh bạch và tiếp cận thông tin đạt 6,3 điểm, đứng thứ 5/11 huyện thành phố và giảm 1,14 điểm;
(2) Chỉ số Chi phí thời gian đạt 7,12 điểm, xếp thứ 2/11, tăng 0,91 điểm;
(3) Chỉ số Vai trò người đứng đầu đạt 8,46 điểm, đứng thứ 01/11.
Khảo sát cho thấy còn 21,14% DN cho rằng thủ tục còn phức tạp; 12,5% doanh nghiệp phản ánh phải chi trả.
II. MỤC TIÊU
Phấn đấu năm 2023 chỉ số DDCI của huyện đạt 72 điểm trở lên, chỉ số Chi phí không chính thức không thấp \
hơn 7,5 điểm.
Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99% trở lên.
III. NHIỆM VỤ
1. Chỉ số "Tiếp cận đất đai" (chiếm tỷ trọng 10% tổng số điểm)
a) Phòng Tài nguyên và Môi trường: phấn đấu tỷ lệ hồ sơ đất đai giải quyết đúng hạn đạt 95%.
b) Phòng Tài chính: khu vực kinh tế tư nhân chiếm tỷ trọng 35% GDP của huyện.
"""


def test_results_with_ranks_and_changes():
    doc = synthetic(RESULTS_DDCI)
    rows = extract_scores(doc)
    check_spans(doc, rows)
    (total,) = by(rows, kind="result", index_code="DDCI.TOTAL")
    assert (total.value, total.year, total.rank, total.rank_of, total.change) == (70.12, 2022, 3, 11, 1.5)
    assert total.comparator is None and total.unit == "điểm"
    (transparency,) = by(rows, index_code="DDCI.TRANSPARENCY")
    assert (transparency.kind, transparency.value, transparency.year) == ("result", 6.3, 2022)
    assert (transparency.rank, transparency.rank_of, transparency.change) == (5, 11, -1.14)
    (time_cost,) = by(rows, index_code="DDCI.TIME_COST")
    assert (time_cost.rank, time_cost.change) == (2, 0.91)
    (leader,) = by(rows, index_code="DDCI.LEADERSHIP")
    assert (leader.value, leader.rank, leader.rank_of, leader.change) == (8.46, 1, 11, None)
    assert leader.year == 2022


def test_targets_of_a_sentence_and_percentages():
    rows = extract_scores(synthetic(RESULTS_DDCI))
    (total,) = by(rows, kind="target", index_code="DDCI.TOTAL")
    assert (total.value, total.comparator, total.year) == (72, ">=", 2023)
    (informal,) = by(rows, index_code="DDCI.INFORMAL_COST")
    assert (informal.kind, informal.value, informal.comparator) == ("target", 7.5, ">=")
    percent = by(rows, kind="target", unit="%")
    assert [(r.value, r.comparator, r.index_code) for r in percent] == [
        (99, ">=", "DDCI"), (95, "=", "DDCI.LAND_ACCESS")]
    assert percent[1].indicator == "Tỷ lệ hồ sơ đất đai giải quyết đúng hạn"
    (weight,) = by(rows, kind="weight")
    assert (weight.index_code, weight.value, weight.unit) == ("DDCI.LAND_ACCESS", 10, "%")
    # survey statistics are never scores
    assert not [r for r in rows if r.value in (21.14, 12.5)]


PCI_PROVINCE = """KẾ HOẠCH
Cải thiện Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) tỉnh Hà Giang năm 2024
1. Kết quả
Năm 2023, chỉ số PCI của tỉnh đạt 61,5 điểm, xếp hạng 58/63 tỉnh, thành phố; chỉ số Gia nhập thị trường \
đạt 6,9 điểm, Tính minh bạch đạt 5,8 điểm.
Chỉ số Tiếp cận đất đai năm 2023 đạt 6,5 điểm, năm 2024 phấn đấu đạt 7 điểm trở lên.
Mục tiêu năm 2024:
- Chỉ số Chi phí không chính thức: 7,2 điểm;
- Chỉ số Đào tạo lao động: không dưới 6 điểm.
Đánh giá chung: còn 35% doanh nghiệp phản ánh phải chi trả chi phí không chính thức; tỷ lệ doanh nghiệp \
hài lòng đạt 80%.
2. Nhiệm vụ
Thực hiện tốt các nhiệm vụ được giao; điểm đánh giá 5 điểm.
"""


def test_other_family_year_and_layout():
    doc = synthetic(PCI_PROVINCE)
    rows = extract_scores(doc)
    check_spans(doc, rows)
    got = {(r.kind, r.index_code, r.value, r.year, r.comparator) for r in rows}
    assert got == {
        ("result", "PCI.TOTAL", 61.5, 2023, None),
        ("result", "PCI.MARKET_ENTRY", 6.9, 2023, None),
        ("result", "PCI.TRANSPARENCY", 5.8, 2023, None),
        ("result", "PCI.LAND_ACCESS", 6.5, 2023, None),
        ("target", "PCI.LAND_ACCESS", 7.0, 2024, ">="),
        ("target", "PCI.INFORMAL_COST", 7.2, 2024, "="),
        ("target", "PCI.LABOR_TRAINING", 6.0, 2024, ">="),
    }
    assert by(rows, index_code="PCI.TOTAL")[0].rank == 58


def test_unmarked_numbers_are_dropped():
    doc = synthetic("KẾ HOẠCH\nCải thiện chỉ số PAPI năm 2024\nChỉ số Quản trị điện tử đạt 4,2 điểm.\n"
                    "Điểm phấn đấu năm 2024 là 45 điểm.\n")
    assert extract_scores(doc) == []


def test_accentless_ocr_text():
    doc = synthetic("KE HOACH\nCai thien chi so DDCI xa Tan Lap nam 2025\nMuc tieu nam 2025:\n"
                    "- Chi so \"Chi phi khong chinh thuc\" dat 7,80 diem tro len.\n")
    (row,) = extract_scores(doc)
    assert (row.kind, row.index_code, row.value, row.comparator, row.year) == (
        "target", "DDCI.INFORMAL_COST", 7.8, ">=", 2025)


CHI_LANG_COMPONENTS = {  # index: (value, rank, change) of the 2024 results, rank of 11 districts
    "DDCI.TRANSPARENCY": (6.3, 5, -1.14), "DDCI.TIME_COST": (3.2, 11, -1.96),
    "DDCI.INFORMAL_COST": (3.63, 11, -3.4), "DDCI.EQUAL_COMPETITION": (4.41, 10, -0.22),
    "DDCI.BUSINESS_SUPPORT": (7.99, 1, -0.16), "DDCI.PROACTIVITY": (8.46, 1, None),
    "DDCI.LEADERSHIP": (7.81, 6, -0.88), "DDCI.LEGAL_INSTITUTIONS": (6.56, 6, -0.07),
    "DDCI.IT_APPLICATION": (8.75, 1, None), "DDCI.LAND_ACCESS": (6.42, 7, 0.91),
}


def test_chi_lang_results():
    doc = plan("chi-lang-2025.txt")
    rows = extract_scores(doc)
    check_spans(doc, rows)
    (total,) = by(rows, kind="result", index_code="DDCI.TOTAL")
    assert (total.value, total.year, total.rank, total.rank_of, total.change) == (63.25, 2024, 8, 11, -3.32)
    results = {r.index_code: (r.value, r.rank, r.change) for r in by(rows, kind="result")
               if r.index_code != "DDCI.TOTAL"}
    assert results == CHI_LANG_COMPONENTS
    assert all(r.year == 2024 and r.rank_of == 11 for r in by(rows, kind="result"))
    # the survey percentages of the same paragraphs ("còn 21,14% DN cho rằng…") are not scores
    assert not [r for r in rows if r.unit == "%" and r.value in (21.14, 58.1, 44.38, 72.16)]
    (percent,) = by(rows, unit="%")
    assert (percent.kind, percent.index_code, percent.value, percent.comparator, percent.year) == (
        "target", "DDCI.TIME_COST", 99, ">=", 2025)
    assert percent.indicator.startswith("Tỷ lệ hồ sơ TTHC")


def table_doc(rows: list[list[str]], title: str) -> PlanDoc:
    """A PlanDoc of a title line and one table, laid out as assemble does (cells joined by " | ")."""
    text = title + "\n"
    cells_rows, spans = [], []
    for r, values in enumerate(rows):
        if r:
            text += "\n"
        start, cells = len(text), []
        for c, value in enumerate(values):
            if c:
                text += " | "
            cells.append(Cell(value, len(text), len(text) + len(value)))
            text += value
        cells_rows.append(cells)
        spans.append((start, len(text)))
    table = Block("table", rows=cells_rows, start=len(title) + 1, end=len(text), row_spans=spans)
    return PlanDoc("t", "t.docx", "t.docx", "", "docx", [table], text=text)


def test_score_table():
    doc = table_doc([
        ["TT", "Chỉ số thành phần", "Trọng số (%)", "Điểm năm 2023", "Xếp hạng 2023", "Mục tiêu năm 2024"],
        ["1", "Tính minh bạch", "20", "6,15", "4/10", "7,0"],
        ["2", "Chi phí không chính thức", "10", "5,5", "9/10", "6,5"],
        ["", "Tổng điểm", "", "64,2", "7/10", "70"],
        ["3", "Ghi chú: số liệu của đơn vị tư vấn", "", "", "", ""],
    ], "KẾ HOẠCH\nNâng cao chỉ số DDCI thị xã Mường Lay năm 2024")
    rows = extract_scores(doc)
    check_spans(doc, rows)
    got = {(r.kind, r.index_code, r.value, r.unit, r.year, r.rank, r.rank_of) for r in rows}
    assert got == {
        ("weight", "DDCI.TRANSPARENCY", 20, "%", 2024, None, None),
        ("result", "DDCI.TRANSPARENCY", 6.15, "điểm", 2023, 4, 10),
        ("target", "DDCI.TRANSPARENCY", 7.0, "điểm", 2024, None, None),
        ("weight", "DDCI.INFORMAL_COST", 10, "%", 2024, None, None),
        ("result", "DDCI.INFORMAL_COST", 5.5, "điểm", 2023, 9, 10),
        ("target", "DDCI.INFORMAL_COST", 6.5, "điểm", 2024, None, None),
        ("result", "DDCI.TOTAL", 64.2, "điểm", 2023, 7, 10),
        ("target", "DDCI.TOTAL", 70, "điểm", 2024, None, None),
    }


def test_tables_without_score_columns_yield_nothing():
    doc = table_doc([["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
                     ["1", "Tính minh bạch: công khai 10 thủ tục", "Văn phòng", "2024"]],
                    "KẾ HOẠCH\nCải thiện chỉ số DDCI năm 2024")
    assert extract_scores(doc) == []


def test_scale_maximum_is_no_target_and_a_colon_ends_a_lead_about_all_components():
    doc = synthetic("""KẾ HOẠCH
Cải thiện Chỉ số cải cách hành chính (PAR INDEX) huyện Tiên Yên năm 2024
II. KẾT QUẢ NĂM 2023
Năm 2023, Chỉ số CCHC của huyện đạt 84,07%, xếp thứ 8/13. Tiêu chí Cải cách thủ tục hành chính đạt 10,75 \
điểm (tối đa 13 điểm); tiêu chí Cải cách tài chính công đạt 5,2 điểm (điểm tối đa: 6).
III. MỤC TIÊU
1. Cải thiện các chỉ số thành phần giảm điểm: chỉ số Cải cách thủ tục hành chính đạt tối thiểu 12 điểm; \
chỉ số Cải cách tài chính công không thấp hơn 5,5 điểm.
2. Không có chỉ số thành phần nào dưới 5 điểm.
3. Thời gian xử lý hồ sơ không vượt quá tối đa 5 ngày (tối đa 13 điểm).
""")
    rows = extract_scores(doc)
    check_spans(doc, rows)
    (procedures,) = by(rows, index_code="PAR_INDEX.ADMIN_PROCEDURES", kind="result")
    assert (procedures.value, procedures.year, procedures.comparator) == (10.75, 2023, None)
    (finance,) = by(rows, index_code="PAR_INDEX.PUBLIC_FINANCE", kind="result")
    assert (finance.value, finance.year, finance.comparator) == (5.2, 2023, None)
    targets = {(r.index_code, r.value, r.year, r.comparator) for r in by(rows, kind="target")}
    assert targets == {("PAR_INDEX.ADMIN_PROCEDURES", 12, 2024, ">="), ("PAR_INDEX.PUBLIC_FINANCE", 5.5, 2024, ">=")}
    assert not by(rows, value=5) and not by(rows, value=13)


def test_plan_years_of_a_title_joining_two_years():
    doc = synthetic("KẾ HOẠCH\nNâng cao Chỉ số PAPI xã Tiên Lữ những tháng cuối năm 2025 và năm 2026\nI. MỤC ĐÍCH\n")
    assert plan_years(doc) == (2025, 2026)


def test_one_target_shared_by_listed_components_and_a_score_over_its_maximum():
    doc = synthetic("""KẾ HOẠCH
Nâng cao chỉ số DDCI huyện Mường La năm 2025
I. KẾT QUẢ NĂM 2024
Tồn tại: tiêu chí Chi phí không chính thức chỉ đạt 4,5/10 điểm.
II. MỤC TIÊU
1. Phấn đấu chỉ số Tiếp cận đất đai và chỉ số Chi phí thời gian mỗi chỉ số đạt tối thiểu 6,5 điểm.
2. Phấn đấu các chỉ số Cạnh tranh bình đẳng, Dịch vụ hỗ trợ doanh nghiệp và Tính minh bạch và tiếp cận \
thông tin đều đạt từ 7 điểm trở lên.
3. Phấn đấu các chỉ số thành phần đều đạt trên 5 điểm.
""")
    rows = extract_scores(doc)
    check_spans(doc, rows)
    (informal,) = by(rows, index_code="DDCI.INFORMAL_COST")
    assert (informal.kind, informal.value, informal.year) == ("result", 4.5, 2024)  # 10 is the maximum
    targets = {(r.index_code, r.value, r.comparator, r.year) for r in by(rows, kind="target")}
    assert targets == {("DDCI.LAND_ACCESS", 6.5, ">=", 2025), ("DDCI.TIME_COST", 6.5, ">=", 2025),
                       ("DDCI.EQUAL_COMPETITION", 7, ">=", 2025), ("DDCI.BUSINESS_SUPPORT", 7, ">=", 2025),
                       ("DDCI.TRANSPARENCY", 7, ">=", 2025)}
    assert not by(rows, value=10) and not by(rows, value=5)  # a maximum; a number said of every component


def test_targets_of_two_years_joined_by_va():
    doc = synthetic("""KẾ HOẠCH
Nâng cao chỉ số DDCI huyện Yên Châu giai đoạn 2024 - 2025
I. MỤC TIÊU
Chỉ số DDCI đạt từ 70 điểm trở lên năm 2024 và từ 72,5 điểm trở lên năm 2025, duy trì nhóm khá.
Chỉ số Chi phí thời gian năm 2024 đạt 6 điểm và năm 2025 đạt 6,5 điểm trở lên.
""")
    rows = extract_scores(doc)
    check_spans(doc, rows)
    got = {(r.index_code, r.value, r.year, r.comparator) for r in by(rows, kind="target")}
    assert got == {("DDCI.TOTAL", 70, 2024, ">="), ("DDCI.TOTAL", 72.5, 2025, ">="),
                   ("DDCI.TIME_COST", 6, 2024, "="), ("DDCI.TIME_COST", 6.5, 2025, ">=")}


# --- fifth held-out author: "xếp vị trí thứ", table targets with "≥", a comma inside a name -------

def _table_doc(paragraphs: list[str], table: list[list[str]]) -> PlanDoc:
    from pipeline.assemble import assemble
    from pipeline.segment import segment

    blocks = [Block("paragraph", text=p) for p in paragraphs]
    blocks.append(Block("table", rows=[[Cell(c) for c in r] for r in table]))
    return segment(assemble(PlanDoc("x", "x.txt", "x.txt", "0" * 64, "txt", blocks)))


def test_rank_written_with_vi_tri() -> None:
    for phrase in ("xếp vị trí thứ 3/11", "đứng ở vị trí thứ 3/11"):
        doc = synthetic(f"Năm 2023, Chỉ số CCHC của thành phố đạt 88,26%, {phrase} huyện, thành phố.")
        (row,) = extract_scores(doc)
        assert (row.index_code, row.value, row.rank, row.rank_of) == ("PAR_INDEX", 88.26, 3, 11)


def test_table_targets_with_a_comparator_sign_and_an_unnumbered_total_row() -> None:
    doc = _table_doc(["KẾ HOẠCH Nâng cao Chỉ số DDCI huyện Ia Grai năm 2025", "I. KẾT QUẢ"], [
        ["TT", "Chỉ số thành phần", "Điểm 2024", "Xếp hạng 2024", "Tăng (+), giảm (-) so với 2023", "Chỉ tiêu 2025"],
        ["1", "Chi phí thời gian", "5,48", "15/17", "-0,77", "≥ 6,30"],
        ["2", "Cạnh tranh bình đẳng", "5,87", "11/17", "+0,09", "6,00"],
        ["", "Tổng điểm DDCI", "68,03", "8/17", "-0,35", "≥ 70,00"],
    ])
    got = [(s.kind, s.index_code, s.value, s.year, s.rank, s.change, s.comparator) for s in extract_scores(doc)]
    assert got == [
        ("result", "DDCI.TIME_COST", 5.48, 2024, 15, -0.77, None),
        ("target", "DDCI.TIME_COST", 6.3, 2025, None, None, ">="),
        ("result", "DDCI.EQUAL_COMPETITION", 5.87, 2024, 11, 0.09, None),
        ("target", "DDCI.EQUAL_COMPETITION", 6.0, 2025, None, None, "="),
        ("result", "DDCI.TOTAL", 68.03, 2024, 8, -0.35, None),
        ("target", "DDCI.TOTAL", 70.0, 2025, None, None, ">="),
    ]


def test_a_comma_inside_a_component_name_is_no_cut() -> None:
    from tests.conftest import text_plan

    doc = text_plan("KẾ HOẠCH Nâng cao Chỉ số SIPAS xã Suối Tiên năm 2025\nI. KẾT QUẢ\n"
                    "Năm 2024, Chỉ số SIPAS của tỉnh đạt 82,64%; trong đó nhóm Mức độ hài lòng đối với việc cung ứng"
                    " dịch vụ hành chính công đạt 84,90%, nhóm Mức độ hài lòng đối với việc xây dựng, tổ chức thực"
                    " hiện chính sách đạt 79,18%.")
    got = [(s.index_code, s.value) for s in extract_scores(doc)]
    assert got == [("SIPAS", 82.64), ("SIPAS.SERVICE", 84.9), ("SIPAS.POLICY", 79.18)]
