"""Held-out evaluation: field-level precision/recall/F1 of `vnplan ingest` against hand-made records.

usage: python benchmarks/evaluate.py [--only NAME ...] [--formats docx pdf scan doc] [--verbose] [--json FILE]

Renders benchmarks/heldout/plans/*.txt as DOCX and text PDF, and on request (--formats ... scan doc)
that PDF as an image-only office scan and the DOCX as a Word 97-2003 .doc (benchmarks/heldout/make.py),
runs `pipeline.ingest.ingest` on them and compares every table with benchmarks/heldout/expected/<name>.toml.

Counting: every field of every row is one unit. Rows are paired first (assignments by section_no,
then by (index_code, lead units); deadlines by (date, kind), then by date; scores by (kind,
index_code, value), then looser keys; people by name or a spelling variant; references by number,
then by (doc_kind, name) for documents cited without a number, a document cited twice counting
once; sections by the longest common
subsequence of kinds). A field of a paired row is a true positive when it agrees (lists get
partial credit: the F1 of their elements; free text such as timing is compared fuzzily), else a
false positive and a false negative. Fields of unpaired rows are false negatives (expected) or
false positives (predicted). Fields empty on both sides are not counted. Header fields are
compared exactly after normalization (NFC, one tone-mark style, case, dashes, spaces, trailing
punctuation). The overall F1 of a format is micro-averaged over all fields of all documents.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "heldout"))

from rapidfuzz import fuzz  # noqa: E402

from normalizers.text import fold, normalize_text  # noqa: E402

EXPECTED = ROOT / "benchmarks" / "heldout" / "expected"
TABLES = ("documents", "sections", "assignments", "deadlines", "scores", "people", "references")
HEADER_FIELDS = ("title", "doc_type", "doc_number", "doc_symbol", "issuer", "admin_level", "locality_type",
                 "locality", "district", "province", "issue_place", "issue_date", "period_start_year",
                 "period_end_year", "index_families", "signer_name", "signer_title", "signing_authority",
                 "funding_source", "missing_sections")
ASSIGNMENT_FIELDS = ("section_no", "index_code", "lead_units", "support_units", "timing", "recurring")
SCORE_FIELDS = ("kind", "index_code", "value", "rank", "rank_of", "change", "year", "comparator")
REFERENCE_FIELDS = ("doc_kind", "number", "date", "issuer", "is_basis")


@dataclass
class Count:
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Count) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# --- value comparison ---------------------------------------------------------------------------

def norm(value: Any) -> Any:
    """Comparable form of a value: text normalized, case-folded, dashes and spaces unified."""
    if isinstance(value, str):
        text = normalize_text(value).replace("–", "-").replace("—", "-").replace("‐", "-")
        text = " ".join(text.replace(" - ", "-").replace("-", " - ").split())
        return text.strip(" .;:,").casefold()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _unit_key(unit: str) -> str:
    return " ".join(fold(unit).replace("-", " ").split())


def list_credit(exp: list[str], pred: list[str]) -> float:
    """F1 of two lists of names, an element matching when its folded form is (nearly) equal."""
    if not exp and not pred:
        return 1.0
    left = [_unit_key(x) for x in pred]
    hit = 0
    for e in (_unit_key(x) for x in exp):
        j = next((k for k, p in enumerate(left) if p == e or fuzz.ratio(p, e) >= 90), None)
        if j is not None:
            hit += 1
            left.pop(j)
    return 2 * hit / (len(exp) + len(pred)) if hit else 0.0


def text_credit(exp: str | None, pred: str | None) -> float:
    if empty(exp) or empty(pred):
        return float(empty(exp) and empty(pred))
    a, b = norm(exp), norm(pred)
    return 1.0 if a == b or fuzz.ratio(a, b) >= 90 else 0.0


def prefix_credit(exp: str | None, pred: str | None) -> float:
    """Titles/issuers: equal, or one is the other plus a qualifier ("Phó Chủ tịch UBND tỉnh")."""
    if empty(exp) or empty(pred):
        return float(empty(exp) and empty(pred))
    a, b = norm(exp), norm(pred)
    return 1.0 if a == b or a.startswith(b) or b.startswith(a) else 0.0


def exact_credit(exp: Any, pred: Any) -> float:
    if isinstance(exp, list) or isinstance(pred, list):
        return float(sorted(map(norm, exp or [])) == sorted(map(norm, pred or [])))
    if isinstance(exp, float) or isinstance(pred, float):
        return float(exp is not None and pred is not None and abs(float(exp) - float(pred)) < 1e-6)
    return float(norm(exp) == norm(pred))


Comparer = Callable[[Any, Any], float]


def score_fields(count: Count, exp: dict, pred: dict, fields: tuple[str, ...],
                 compare: dict[str, Comparer], label: str) -> None:
    for name in fields:
        e, p = exp.get(name), pred.get(name)
        if empty(e) and empty(p) and not isinstance(e, bool):
            continue
        credit = compare.get(name, exact_credit)(e, p)
        count.tp += credit
        count.fp += 0.0 if empty(p) else 1 - credit
        count.fn += 0.0 if empty(e) else 1 - credit
        if credit < 1:
            count.misses.append(f"{label} {name}: expected {e!r}, got {p!r}")


# --- row pairing --------------------------------------------------------------------------------

def pair(exp_rows: list[dict], pred_rows: list[dict], keys: list[Callable[[dict], Any]]
         ) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Greedy pairing in passes, one key per pass (None keys never pair)."""
    left_e, left_p = list(exp_rows), list(pred_rows)
    pairs: list[tuple[dict, dict]] = []
    for key in keys:
        for e in list(left_e):
            k = key(e)
            if k is None:
                continue
            p = next((p for p in left_p if key(p) == k), None)
            if p is not None:
                pairs.append((e, p))
                left_e.remove(e)
                left_p.remove(p)
    return pairs, left_e, left_p


def score_rows(exp_rows: list[dict], pred_rows: list[dict], keys: list[Callable[[dict], Any]],
               fields: tuple[str, ...], compare: dict[str, Comparer], show: Callable[[dict], str]) -> Count:
    count = Count()
    pairs, missed, extra = pair(exp_rows, pred_rows, keys)
    for e, p in pairs:
        score_fields(count, e, p, fields, compare, show(e))
    for e in missed:
        count.fn += sum(1 for f in fields if not empty(e.get(f)) or isinstance(e.get(f), bool))
        count.misses.append(f"missed {show(e)}")
    for p in extra:
        count.fp += sum(1 for f in fields if not empty(p.get(f)) or isinstance(p.get(f), bool))
        count.misses.append(f"extra  {show(p)}")
    return count


def _units_key(row: dict) -> tuple | None:
    return (row.get("index_code"), tuple(sorted(_unit_key(u) for u in row.get("lead_units") or [])))


def _section_no(row: dict) -> str | None:
    no = row.get("section_no")
    return "".join(fold(no).split()) if no else None


def _ref_number(row: dict) -> str | None:
    no = row.get("number")
    return "".join(fold(no).upper().split()) if no else None


def _ref_name(row: dict) -> tuple | None:
    """(doc_kind, name) of a document cited without a number; the name is looked up in raw."""
    if row.get("number"):
        return None
    return (norm(row.get("doc_kind")), fold(row.get("name") or row.get("raw") or ""))


def _score_value(row: dict) -> float | None:
    v = row.get("value")
    return round(float(v), 4) if v is not None else None


def compare_table(table: str, exp: dict, rec: dict) -> Count:
    if table == "documents":
        count = Count()
        doc = {f: exp.get("document", {}).get(f) for f in HEADER_FIELDS}
        score_fields(count, doc, rec["document"], HEADER_FIELDS, {}, "document")
        return count
    if table == "sections":
        want = list(exp.get("sections", []))
        got = [s["kind"] for s in sorted(rec["sections"], key=lambda s: s["seq"])]
        lcs = _lcs(want, got)
        count = Count(lcs, len(got) - lcs, len(want) - lcs)
        if want != got:
            count.misses.append(f"sections: expected {want}, got {got}")
        return count
    if table == "assignments":
        return score_rows(exp.get("assignments", []), rec["assignments"],
                          [_section_no, _units_key,
                           lambda r: (r.get("index_code"), _unit_key((r.get("lead_units") or [""])[0]))],
                          ASSIGNMENT_FIELDS,
                          {"lead_units": list_credit, "support_units": list_credit, "timing": text_credit},
                          lambda r: f"assignment {r.get('section_no')} {r.get('index_code')} {r.get('lead_units')}")
    if table == "deadlines":
        return score_rows(exp.get("deadlines", []), rec["deadlines"],
                          [lambda r: (r.get("date"), r.get("kind")), lambda r: r.get("date")],
                          ("date", "kind"), {}, lambda r: f"deadline {r.get('date')} {r.get('kind')} "
                                                          f"{(r.get('raw') or '')[:50]!r}")
    if table == "scores":
        return score_rows(exp.get("scores", []), rec["scores"],
                          [lambda r: (r.get("kind"), r.get("index_code"), _score_value(r)),
                           lambda r: (r.get("index_code"), _score_value(r)),
                           lambda r: (r.get("kind"), _score_value(r))],
                          SCORE_FIELDS, {}, lambda r: f"score {r.get('kind')} {r.get('index_code')} {r.get('value')}")
    if table == "people":
        got = [dict(p, _names={fold(n) for n in [p["name"], *p.get("variants", [])]}) for p in rec["people"]]
        count = Count()
        pairs, missed, extra = pair(exp.get("people", []), got, [lambda r: fold(r["name"])])
        # a predicted person matches by any of its spellings
        for e in list(missed):
            p = next((p for p in extra if fold(e["name"]) in p["_names"]), None)
            if p:
                pairs.append((e, p))
                missed.remove(e)
                extra.remove(p)
        for e, p in pairs:
            score_fields(count, e, p, ("name", "roles", "title"),
                         {"roles": list_credit, "title": prefix_credit, "name": lambda a, b: 1.0},
                         f"person {e['name']}")
        for e in missed:
            count.fn += 3
            count.misses.append(f"missed person {e['name']}")
        for p in extra:
            count.fp += 2 + (p.get("title") is not None)
            count.misses.append(f"extra  person {p['name']} {p.get('roles')}")
        return count
    if table == "references":
        got = _one_per_document(rec["references"])
        return score_rows(exp.get("references", []), got, [_ref_number, _ref_name_pair(got)],
                          REFERENCE_FIELDS, {"issuer": prefix_credit},
                          lambda r: f"reference {r.get('doc_kind')} {r.get('number') or r.get('name')}")
    raise ValueError(table)


def _one_per_document(refs: list[dict]) -> list[dict]:
    """A document cited twice is one reference (a basis when any citation is)."""
    out: list[dict] = []
    by_number: dict[str, dict] = {}
    for r in refs:
        no = _ref_number(r)
        if no and no in by_number:
            by_number[no]["is_basis"] = by_number[no]["is_basis"] or r["is_basis"]
            continue
        r = dict(r)
        if no:
            by_number[no] = r
        out.append(r)
    return out


def _ref_name_pair(got: list[dict]) -> Callable[[dict], Any]:
    """Key of the second pass: an expected (doc_kind, name) equals a predicted numberless
    reference of that kind whose raw text contains the name."""
    def key(row: dict) -> Any:
        k = _ref_name(row)
        if k is None:
            return None
        if "name" in row:  # expected row: find the predicted raw that contains the name
            for p in got:
                pk = _ref_name(p)
                if pk and pk[0] == k[0] and k[1] and k[1] in pk[1]:
                    return pk
            return ("-",)
        return k
    return key


def _lcs(a: list[str], b: list[str]) -> int:
    dp = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            dp[i + 1][j + 1] = dp[i][j] + 1 if x == y else max(dp[i][j + 1], dp[i + 1][j])
    return dp[-1][-1]


# --- running ------------------------------------------------------------------------------------

def run_pipeline(work: Path, formats: tuple[str, ...], only: list[str] | None) -> dict[tuple[str, str], dict]:
    """Renders the plans, ingests them and returns {(name, format): record}."""
    from make import build

    from pipeline.ingest import ingest

    inputs, out = work / "in", work / "out"
    build(inputs, formats, only)
    ingest(inputs, out, workers=2, ocr="auto", force=True, progress=False)
    records = {}
    for path in (out / "json").glob("*.json"):
        rec = json.loads(path.read_text(encoding="utf-8"))
        src = Path(rec["document"]["source_path"])
        records[(src.stem, src.parts[0])] = rec
    return records


def evaluate(records: dict[tuple[str, str], dict]) -> dict[tuple[str, str], dict[str, Count]]:
    results = {}
    for (name, fmt), rec in sorted(records.items()):
        exp = tomllib.loads((EXPECTED / f"{name}.toml").read_text(encoding="utf-8"))
        results[(name, fmt)] = {t: compare_table(t, exp, rec) for t in TABLES}
    return results


def summary(results: dict[tuple[str, str], dict[str, Count]]) -> dict[str, dict[str, Count]]:
    """Per format: each table pooled over documents, and 'overall' over all tables."""
    out: dict[str, dict[str, Count]] = {}
    for (_, fmt), tables in results.items():
        agg = out.setdefault(fmt, {t: Count() for t in (*TABLES, "overall")})
        for t, c in tables.items():
            agg[t].add(c)
            agg["overall"].add(c)
    return out


def overall(tables: dict[str, Count]) -> Count:
    """One document's fields of every table pooled."""
    total = Count()
    for c in tables.values():
        total.add(c)
    return total


def report(results: dict[tuple[str, str], dict[str, Count]], verbose: bool = False) -> str:
    cols = (*TABLES, "overall")
    head = f"{'document':28} {'fmt':4} " + " ".join(f"{t[:9]:>9}" for t in cols)
    lines = [head, "-" * len(head)]
    for (name, fmt), tables in results.items():
        total = overall(tables)
        lines.append(f"{name[:28]:28} {fmt:4} " + " ".join(f"{c.f1:9.3f}" for c in (*tables.values(), total)))
        if verbose:
            lines.extend(f"      {m}" for c in tables.values() for m in c.misses)
    lines.append("-" * len(head))
    for fmt, agg in summary(results).items():
        lines.append(f"{'ALL (F1)':28} {fmt:4} " + " ".join(f"{agg[t].f1:9.3f}" for t in cols))
        lines.append(f"{'ALL (P/R)':28} {fmt:4} " + " ".join(
            f"{agg[t].precision:4.2f}/{agg[t].recall:4.2f}" for t in cols))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="plan names (file stems) to evaluate")
    ap.add_argument("--formats", nargs="+", default=["docx", "pdf"], choices=["docx", "pdf", "scan", "doc"],
                    help="scan: the text PDF as page images, read by OCR (~2.5 s a page a core); "
                         "doc: the DOCX saved as Word 97-2003 by LibreOffice")
    ap.add_argument("--verbose", action="store_true", help="list every mismatch")
    ap.add_argument("--json", type=Path, help="also write the scores as JSON")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vnplan-heldout-") as work:
        results = evaluate(run_pipeline(Path(work), tuple(args.formats), args.only))
    print(report(results, args.verbose))
    if args.json:
        data = {f"{n}/{f}": {t: {"p": c.precision, "r": c.recall, "f1": c.f1} for t, c in tables.items()}
                for (n, f), tables in results.items()}
        data.update({f"ALL/{fmt}": {t: {"p": c.precision, "r": c.recall, "f1": c.f1} for t, c in agg.items()}
                     for fmt, agg in summary(results).items()})
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
