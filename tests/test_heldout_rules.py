"""Generalization rules found by the held-out evaluation (benchmarks/evaluate.py), on small
synthetic plans of other localities and layouts than the corpus."""
from __future__ import annotations

from extractors.assignments import extract_assignments
from extractors.deadlines import extract_deadlines
from extractors.header import find_signature
from extractors.references import extract_references
from extractors.scores import extract_scores
from normalizers.units import canonical_unit, split_units
from pipeline.assemble import assemble
from pipeline.model import Block, Cell, PlanDoc
from pipeline.segment import segment


def _doc(paragraphs: list[str], tables: list[list[list[str]]] = ()) -> PlanDoc:
    blocks = [Block("paragraph", text=p) for p in paragraphs]
    for table in tables:
        blocks.append(Block("table", rows=[[Cell(c) for c in r] for r in table]))
    return segment(assemble(PlanDoc("x", "x.txt", "x.txt", "0" * 64, "txt", blocks)))


def test_units_keep_a_level_the_catalog_name_does_not_have() -> None:
    assert canonical_unit("Công an tỉnh") == "Công an tỉnh"  # not the commune police
    assert canonical_unit("Bảo hiểm xã hội tỉnh") == "Bảo hiểm xã hội tỉnh"
    assert canonical_unit("Công an phường") == "Công an xã"  # same level: the catalog name
    assert canonical_unit("Bộ phận Một cửa thành phố") == "Bộ phận Tiếp nhận và Trả kết quả"
    assert split_units("Sở Thông tin và Truyền thông, các sở, ban, ngành") == [
        "Sở Thông tin và Truyền thông", "các sở, ban, ngành"]
    assert split_units("UBND các huyện, thị xã, thành phố") == ["UBND các huyện, thị xã, thành phố"]


def test_prose_lead_part_numbers_and_body_table() -> None:
    doc = _doc([
        "KẾ HOẠCH Nâng cao Chỉ số DDCI huyện Kim Sơn năm 2026",
        "PHẦN I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao chỉ số.",
        "PHẦN II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Chỉ số Chi phí thời gian",
        "Lãnh đạo phụ trách: Đồng chí Mai Văn Tùng, Phó Chủ tịch UBND huyện.",
        "Giao Phòng Nội vụ chủ trì, phối hợp với Thanh tra huyện, các phòng, ban liên quan rà soát quy trình.",
        "Thời gian thực hiện: Quý II/2026.",
        "2. Đối với Chỉ số PCI",
        "Giao Phòng Tài chính - Kế hoạch chủ trì theo dõi các nhiệm vụ tỉnh giao.",
        "3. Đối với Chỉ số DDCI",
        "Các cơ quan thực hiện các nhiệm vụ sau:",
    ], tables=[[
        ["ST T", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
        ["1", "Tính minh bạch và tiếp cận thông tin", "", "", ""],
        ["1.1", "Công khai danh mục dự án", "Phòng Văn hóa và Thông tin", "Phòng Nội vụ", "Hằng quý"],
    ]])
    rows = extract_assignments(doc)
    assert [(r.section_no, r.index_code) for r in rows] == [
        ("II.1", "DDCI.TIME_COST"), ("II.2", "PCI"), ("II.3/1.1", "DDCI.TRANSPARENCY")]
    first = rows[0]
    assert first.lead_units == ["Phòng Nội vụ"]
    assert first.support_units == ["Thanh tra huyện", "Các phòng, ban liên quan"]
    assert rows[1].lead_units == ["Phòng Tài chính - Kế hoạch"]
    assert rows[2].lead_units == ["Phòng Văn hóa và Thông tin"] and rows[2].recurring


def test_nested_authority_signature_and_own_number() -> None:
    doc = _doc([
        "ỦY BAN NHÂN DÂN XÃ TÂN LẬP",
        "Số: 27/KH-UBND",
        "KẾ HOẠCH Cải cách hành chính năm 2026",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Báo cáo về Văn phòng - Thống kê trước ngày 20 tháng cuối mỗi quý; họp giao ban hằng quý.",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lò Văn Pọm",
        "Phụ lục",
        "(Kèm theo Kế hoạch số 27/KH-UBND của UBND xã)",
    ])
    sig = find_signature(doc)
    assert (sig.authority.value, sig.title.value, sig.name.value) == ("KT. Chủ tịch", "Phó Chủ tịch", "Lò Văn Pọm")
    refs = extract_references(doc)
    assert [(r.doc_kind, r.number, r.date) for r in refs] == [("Luật", None, "2015-06-19")]  # not itself
    assert [(d.kind, d.date) for d in extract_deadlines(doc, [])] == [("recurring", None)]  # not "hằng quý"


def test_unnamed_ranked_score_is_the_total_and_carries_to_the_next_sentence() -> None:
    doc = _doc([
        "KẾ HOẠCH Cải thiện chỉ số DDCI thị trấn Nông Cống năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Năm 2025 thị trấn đạt 70,5 điểm, xếp thứ 4/27 xã, thị trấn. Phấn đấu năm 2026 đạt 72 điểm trở lên.",
    ])
    got = [(s.kind, s.index_code, s.value, s.rank, s.year) for s in extract_scores(doc)]
    assert got == [("result", "DDCI.TOTAL", 70.5, 4, 2025), ("target", "DDCI.TOTAL", 72.0, None, 2026)]
