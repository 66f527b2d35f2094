"""Index names inside running text (normalizers.indices.find_index_mentions) and where a unit name
ends before its verb (normalizers.pos)."""
from __future__ import annotations

from normalizers.indices import find_index_mentions, match_index
from normalizers.pos import verb_starts


def _codes(text: str, families: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(m.match.code, text[m.start:m.end]) for m in find_index_mentions(text, families)]


def test_a_name_after_a_cue_in_parentheses_or_capitalised_counts() -> None:
    assert _codes("cải thiện chỉ số Gia nhập thị trường: thực hiện liên thông", ("PCI",)) == [
        ("PCI.MARKET_ENTRY", "Gia nhập thị trường")]
    assert _codes("hồ sơ được số hóa (Cải cách thủ tục hành chính)", ("PAR_INDEX",)) == [
        ("PAR_INDEX.ADMIN_PROCEDURES", "Cải cách thủ tục hành chính")]
    assert _codes("xử lý cán bộ gây phiền hà, giảm Chi phí không chính thức.", ("DDCI",)) == [
        ("DDCI.INFORMAL_COST", "Chi phí không chính thức")]
    # accents lost or written in another tone style still match
    assert _codes("cai thien chi so Chi phi thoi gian", ("PCI",)) == [("PCI.TIME_COST", "Chi phi thoi gian")]


def test_a_task_that_only_uses_the_words_is_no_mention() -> None:
    assert _codes("rà soát thủ tục hành chính, công khai kết quả", ("SIPAS", "PAR_INDEX")) == []
    assert _codes("Thủ tục hành chính được niêm yết công khai", ("SIPAS",)) == []  # a sentence's start


def test_index_names_spell_out_acronyms() -> None:
    assert match_index("Cải cách TTHC", "PAR_INDEX").code == "PAR_INDEX.ADMIN_PROCEDURES"
    assert match_index("Công tác chỉ đạo, điều hành CCHC", "PAR_INDEX").code == "PAR_INDEX.DIRECTION"


def test_the_first_lowercase_verb_ends_a_unit_name() -> None:
    text = "Trung tâm Văn hóa - Thông tin và Thể thao huyện đăng tải đầy đủ quy hoạch"
    assert text[verb_starts(text)[0]:].startswith("đăng tải")
    # title-cased words inside a name are no verbs: "Phòng Giao dịch" is a name
    text = "Phòng Giao dịch Ngân hàng Chính sách xã hội huyện bảo đảm vốn"
    assert text[verb_starts(text)[0]:].startswith("bảo đảm")
