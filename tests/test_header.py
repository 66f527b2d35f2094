"""Header fields (documents table) on the corpus plans and on synthetic variants of the genre."""
from __future__ import annotations

import pytest

from extractors.header import extract_header, find_signature
from normalizers.places import resolve
from pipeline.assemble import assemble
from pipeline.model import Block, PlanDoc
from pipeline.segment import segment
from tests.conftest import plan


def _doc(text: str, header: tuple[str, str] | None = None) -> PlanDoc:
    """A PlanDoc with one paragraph per line, optionally after a two-cell Decree 30 header."""
    blocks = []
    if header:
        blocks += [Block("header_cell", header[0], column=0), Block("header_cell", header[1], column=1)]
    blocks += [Block("paragraph", ln) for ln in text.strip().splitlines() if ln.strip()]
    return segment(assemble(PlanDoc("t", "t.txt", "t.txt", "0" * 64, "txt", blocks)))


def _values(doc: PlanDoc) -> dict[str, object]:
    fields = extract_header(doc)
    for f in fields.values():  # evidence spans point into the text
        if f.start is not None:
            assert 0 <= f.start < f.end <= len(doc.text)
    return {k: f.value for k, f in fields.items()}



# --- corpus -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["hong-phong-2023.md", "hong-phong-2023.docx"])
def test_hong_phong(name: str) -> None:
    v = _values(plan(name))
    assert v["title"] == "Thực hiện cải thiện chỉ số đánh giá năng lực cạnh tranh xã Hồng Phong năm 2023"
    assert v["doc_type"] == "Kế hoạch"
    assert v.get("doc_number") is None and v["doc_symbol"] == "KH-UBND"
    assert (v["issuer"], v["admin_level"], v["locality_type"], v["locality"]) == (
        "UBND xã Hồng Phong", "commune", "xã", "Hồng Phong")
    assert (v["district"], v["province"], v["admin_code"]) == ("Cao Lộc", "Lạng Sơn", "06205")
    assert (v["issue_place"], v["issue_date"]) == ("Hồng Phong", "2023-03")
    assert (v["period_start_year"], v["period_end_year"]) == (2023, 2023)
    assert v["index_families"] == ["DDCI"]
    assert (v["signer_name"], v["signer_title"], v["signing_authority"]) == (
        "Hoàng Văn Huấn", "Chủ tịch", "TM. Ủy ban nhân dân")
    assert v["funding_source"] == "Từ nguồn ngân sách xã năm 2023."


def test_hong_phong_docx_issuer_evidence_is_the_header() -> None:
    doc = plan("hong-phong-2023.docx")
    fields = extract_header(doc)
    assert doc.text[fields["issuer"].start:fields["issuer"].end] == "ỦY BAN NHÂN DÂN XÃ HỒNG PHONG"
    assert doc.text[fields["district"].start:fields["district"].end] == "UBND HUYỆN CAO LỘC"


@pytest.mark.parametrize("name", ["cao-lau-2023.txt", "cao-lau-2023.pdf"])
def test_cao_lau_without_header_block(name: str) -> None:
    v = _values(plan(name))
    assert v["title"] == "Thực hiện cải thiện chỉ số đánh giá năng lực cạnh tranh năm 2023"
    assert "doc_symbol" not in v and "issue_date" not in v  # no header block in the original
    assert (v["issuer"], v["admin_level"], v["district"], v["province"]) == (
        "UBND xã Cao Lâu", "commune", "Cao Lộc", "Lạng Sơn")
    assert (v["signer_name"], v["signer_title"], v["signing_authority"]) == (
        "Lương Văn Mao", "Phó Chủ tịch", "KT. Chủ tịch")
    assert v["funding_source"] == "Từ nguồn ngân sách xã năm 2023."


@pytest.mark.parametrize("name", ["phu-son-2023.txt", "phu-son-2023.docx", "phu-son-2023.pdf"])
def test_phu_son(name: str) -> None:
    v = _values(plan(name))
    assert str(v["title"]).startswith("Duy trì, cải thiện và nâng cao Chỉ số cải cách hành chính (PAR INDEX)")
    assert str(v["title"]).endswith("phường Phú Sơn Giai đoạn 2023 - 2025")
    assert (v["issuer"], v["locality_type"], v["district"], v["province"]) == (
        "UBND phường Phú Sơn", "phường", "Bỉm Sơn", "Thanh Hóa")
    assert (v["issue_place"], v["issue_date"]) == ("Phú Sơn", "2023-12")
    assert (v["period_start_year"], v["period_end_year"]) == (2023, 2025)
    assert v["index_families"] == ["PAR_INDEX", "SIPAS", "PAPI", "PCI"]
    assert (v["signer_name"], v["signer_title"]) == ("Nguyễn Xuân Lâm", "Chủ tịch")
    assert v.get("signing_authority") is None  # "CHỦ TỊCH" stands alone
    assert "funding_source" not in v  # the plan has no funding section


def test_chi_lang_district_plan() -> None:
    v = _values(plan("chi-lang-2025.txt"))
    assert v["title"] == ("Khắc phục các hạn chế năm 2024 và thực hiện đánh giá năng lực cạnh tranh (DDCI) "
                          "huyện Chi Lăng năm 2025")
    assert (v["issuer"], v["admin_level"], v["province"], v["admin_code"]) == (
        "UBND huyện Chi Lăng", "district", "Lạng Sơn", resolve("huyện", "Chi Lăng").code)
    assert "district" not in v
    assert (v["period_start_year"], v["period_end_year"]) == (2025, 2025)  # a 2025 plan on 2024 results
    assert (v["signer_name"], v["signer_title"], v.get("signing_authority")) == ("Phùng Văn Nghĩa", "Chủ tịch", None)


# --- synthetic variants -------------------------------------------------------------------------

DISTRICT_PLAN = """
KẾ HOẠCH
Nâng cao Chỉ số Hiệu quả Quản trị và Hành chính công (PAPI)
giai đoạn 2024 - 2026
Căn cứ Quyết định số 12/QĐ-UBND ngày 02/01/2024 của UBND tỉnh Bắc Giang;
Ủy ban nhân dân huyện Lục Nam ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng phục vụ.
II. NHIỆM VỤ
1. Phòng Nội vụ chủ trì.
III. KINH PHÍ THỰC HIỆN
Kinh phí thực hiện từ ngân sách huyện.
IV. TỔ CHỨC THỰC HIỆN
Các phòng triển khai thực hiện./.
Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
KT. CHỦ TỊCH PHÓ CHỦ TỊCH
(Đã ký)
TRẦN THỊ BÌNH
"""


def test_district_plan_with_header_cells() -> None:
    doc = _doc(DISTRICT_PLAN, ("UBND TỈNH BẮC GIANG\nỦY BAN NHÂN DÂN\nHUYỆN LỤC NAM\nSố: 120/KH-UBND",
                               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                               "Lục Nam, ngày 15 tháng 3 năm 2024"))
    v = _values(doc)
    assert v["title"] == "Nâng cao Chỉ số Hiệu quả Quản trị và Hành chính công (PAPI) giai đoạn 2024 - 2026"
    assert (v["doc_number"], v["doc_symbol"]) == ("120", "KH-UBND")
    assert (v["issuer"], v["admin_level"], v["locality"]) == ("UBND huyện Lục Nam", "district", "Lục Nam")
    assert v["province"] == "Bắc Giang" and "district" not in v
    assert v["admin_code"] == resolve("huyện", "Lục Nam").code
    assert (v["issue_place"], v["issue_date"]) == ("Lục Nam", "2024-03-15")
    assert (v["period_start_year"], v["period_end_year"]) == (2024, 2026)
    assert v["index_families"] == ["PAPI"]
    assert (v["signer_name"], v["signer_title"], v["signing_authority"]) == (
        "Trần Thị Bình", "Phó Chủ tịch", "KT. Chủ tịch")
    assert v["funding_source"] == "Kinh phí thực hiện từ ngân sách huyện."


def test_pdf_like_header_lines_share_the_motto_column() -> None:
    """Text extracted from a PDF may put both header columns on one line."""
    doc = _doc("""
UBND HUYỆN LẠNG GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
ỦY BAN NHÂN DÂN Độc lập - Tự do - Hạnh phúc
XÃ TÂN HƯNG
Số: 07 /KH-UBND Tân Hưng, ngày 05 tháng 01 năm 2024
KẾ HOẠCH Cải thiện Chỉ số DDCI năm 2024
Thực hiện Kế hoạch số 10/KH-UBND của UBND huyện Lạng Giang;
I. MỤC ĐÍCH
TM. ỦY BAN NHÂN DÂN CHỦ TỊCH
Đỗ Văn Hải
""")
    v = _values(doc)
    assert (v["issuer"], v["district"], v["province"]) == ("UBND xã Tân Hưng", "Lạng Giang", "Bắc Giang")
    assert (v["doc_number"], v["issue_place"], v["issue_date"]) == ("07", "Tân Hưng", "2024-01-05")
    assert v["title"] == "Cải thiện Chỉ số DDCI năm 2024"
    assert (v["signer_name"], v["signer_title"], v["signing_authority"]) == (
        "Đỗ Văn Hải", "Chủ tịch", "TM. Ủy ban nhân dân")


def test_issuer_from_closing_sentence_and_signature_before_appendix() -> None:
    doc = _doc("""
KẾ HOẠCH
Cải thiện chỉ số PCI năm 2025 trên cơ sở kết quả năm 2024
I. MỤC ĐÍCH
Nâng cao chỉ số.
Trên đây là Kế hoạch cải thiện chỉ số của Ủy ban nhân dân thị trấn Đồi Ngô năm 2025./.
CHỦ TỊCH
Lê Minh Quang
Phụ lục 1
DANH MỤC NHIỆM VỤ
CHỦ TỊCH
""")
    v = _values(doc)
    assert (v["issuer"], v["admin_level"], v["locality_type"]) == ("UBND thị trấn Đồi Ngô", "commune", "thị trấn")
    assert (v["district"], v["province"]) == ("Lục Nam", "Bắc Giang")  # from the gazetteer
    assert (v["period_start_year"], v["period_end_year"]) == (2025, 2025)
    sig = find_signature(doc)
    assert sig is not None and sig.name is not None and sig.name.value == "Lê Minh Quang"
    assert sig.authority is None


def test_not_a_plan_and_empty_text() -> None:
    v = _values(_doc("QUYẾT ĐỊNH\nVề việc ban hành Quy chế làm việc\nCăn cứ Luật Tổ chức chính quyền địa phương;"))
    assert (v["doc_type"], v["title"]) == ("Quyết định", "Về việc ban hành Quy chế làm việc")
    assert extract_header(PlanDoc("e", "e.txt", "e.txt", "0" * 64, "txt", [])) == {}


def test_wrapped_motto_is_not_a_commune() -> None:
    v = _values(_doc("""
UBND HUYỆN CAO LỘC CỘNG HÒA
ỦY BAN NHÂN DÂN
XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ HỒNG PHONG Độc lập - Tự do - Hạnh phúc
KẾ HOẠCH
Cải thiện DDCI năm 2023
Căn cứ Kế hoạch số 1/KH-UBND;
"""))
    assert (v["issuer"], v["district"], v["title"]) == ("UBND xã Hồng Phong", "Cao Lộc", "Cải thiện DDCI năm 2023")


def test_issuer_is_the_unit_that_makes_this_plan_not_a_cited_one() -> None:
    v = _values(_doc("""
KẾ HOẠCH
Cải thiện chỉ số PAPI năm 2024
UBND thị trấn Đồi Ngô xây dựng Kế hoạch như sau:
"""))
    assert v["title"] == "Cải thiện chỉ số PAPI năm 2024"
    v = _values(_doc("""
KẾ HOẠCH
Cải thiện chỉ số PAPI năm 2024
Sau khi UBND huyện Lục Nam ban hành Kế hoạch số 5/KH-UBND, UBND thị trấn Đồi Ngô xây dựng Kế hoạch như sau:
"""))
    assert (v["issuer"], v["district"], v["province"]) == ("UBND thị trấn Đồi Ngô", "Lục Nam", "Bắc Giang")
    assert v["admin_code"] == resolve("thị trấn", "Đồi Ngô").code


def test_wrapped_header_name_years_joined_by_va_and_apostrophe_names() -> None:
    """A narrow header column wraps the district's name (joined when the joined name is a place the
    gazetteer knows and the cut one is not); a title "những tháng cuối năm 2025 và năm 2026" covers
    both years; an Ê Đê signer keeps the capital after the apostrophe."""
    doc = _doc("""
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN KRÔNG
BÚK
Số: 12/KH-UBND
Độc lập - Tự do - Hạnh phúc
Krông Búk, ngày 14 tháng 11 năm 2025
KẾ HOẠCH
Nâng cao Chỉ số PAPI những tháng cuối năm 2025 và năm 2026
Căn cứ Kế hoạch số 1/KH-UBND của UBND tỉnh Đắk Lắk;
I. MỤC ĐÍCH
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
H'LOAN MLÔ
""")
    v = _values(doc)
    assert (v["issuer"], v["locality"], v["province"]) == ("UBND huyện Krông Búk", "Krông Búk", "Đắk Lắk")
    issuer = extract_header(doc)["issuer"]
    assert doc.text[issuer.start:issuer.end] == "HUYỆN KRÔNG\nBÚK"  # the evidence spans the wrap
    assert (v["period_start_year"], v["period_end_year"]) == (2025, 2026)
    assert v["signer_name"] == "H'Loan Mlô"


@pytest.mark.parametrize(("title", "period"), [
    ("Nâng cao Chỉ số PAPI những tháng cuối năm 2025 và năm 2026", (2025, 2026)),
    ("Cải thiện Chỉ số PCI năm 2024 và 2025", (2024, 2025)),
    ("Khắc phục các hạn chế năm 2024 và thực hiện đánh giá DDCI năm 2025", (2025, 2025)),  # looks ahead
    ("Nâng cao Chỉ số DDCI năm 2024 và những năm tiếp theo", (2024, 2024)),
    ("Nâng cao các chỉ số giai đoạn 2023 - 2025", (2023, 2025)),
    ("Nâng cao các chỉ số từ năm 2024 đến năm 2026", (2024, 2026)),
])
def test_title_period(title: str, period: tuple[int, int]) -> None:
    from extractors.header import title_period

    assert title_period(title) == period


def test_authority_line_interleaved_with_recipients() -> None:
    """A two-column signature block read from a PDF: "KT. CHỦ TỊCH" lands among the recipients, the
    signer's title and name after them; the authority still belongs to that signer."""
    doc = _doc("""
KẾ HOẠCH
Cải thiện Chỉ số DDCI xã Phước Sơn năm 2024
I. MỤC ĐÍCH
Thực hiện./.
Nơi nhận:
KT. CHỦ TỊCH
- UBND huyện Tuy Phước (b/c);
- Phòng Tài chính - Kế hoạch huyện;
- TT Đảng ủy, HĐND xã;
- CT, PCT UBND xã;
- UBMTTQVN xã và các đoàn thể;
- Các công chức liên quan;
- Trưởng các thôn;
- Lưu: VT.
PHÓ CHỦ TỊCH
Huỳnh Văn Lộc
""")
    v = _values(doc)
    assert (v["signer_name"], v["signer_title"], v["signing_authority"]) == (
        "Huỳnh Văn Lộc", "Phó Chủ tịch", "KT. Chủ tịch")


def test_a_header_name_wrapped_by_a_narrow_column() -> None:
    """PDF header lines where the motto column runs into the first line and names wrap: "UBND TỈNH ĐỒNG
    <motto> / NAI", "UBND THÀNH PHỐ / LONG KHÁNH"."""
    doc = _doc("""
UBND TỈNH ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
NAI
UBND THÀNH PHỐ
LONG KHÁNH
Số: 388/KH-UBND
Độc lập - Tự do - Hạnh phúc
Long Khánh, ngày 19 tháng 4 năm 2024
KẾ HOẠCH
Nâng cao Chỉ số cải cách hành chính thành phố Long Khánh năm 2024
I. MỤC ĐÍCH
Nâng cao chỉ số.
""")
    v = _values(doc)
    assert (v["issuer"], v["admin_level"], v["locality"], v["province"]) == (
        "UBND thành phố Long Khánh", "district", "Long Khánh", "Đồng Nai")
