"""Links across documents, run once over the whole dataset after the per-document tables are built.

* references → documents: a citation ("Kế hoạch số 49/KH-UBND ngày 13/02/2023 của UBND huyện
  Cao Lộc") gets `target_doc_id` when exactly one plan in the dataset has that number and symbol,
  that issuer (an unnamed "UBND huyện" is the citing plan's own district) and a compatible date;
* `plan_tree`: the citations that go up the hierarchy (province → district → commune);
* `persons`: one identity per official across plans: the same name (accents and OCR confusions
  folded) in the same unit; people of different units are never merged, and people whose unit is
  unknown stay one identity per document. `people.person_id` points to it.

Pure and deterministic: the same tables in give the same tables out.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa

from normalizers.places import districts_named, is_province_city, key, resolve
from normalizers.text import fold
from pipeline.resources import read_toml

_ALNUM = re.compile(r"[^0-9a-z]+")
STRINGS = pa.list_(pa.string())

PERSONS_SCHEMA = pa.schema([
    ("person_id", pa.string()), ("name", pa.string()), ("variants", STRINGS), ("units", STRINGS),
    ("admin_codes", STRINGS), ("titles", STRINGS), ("roles", STRINGS), ("doc_ids", STRINGS),
    ("n_docs", pa.int64()), ("first_year", pa.int64()), ("last_year", pa.int64()),
])
PLAN_TREE_SCHEMA = pa.schema([
    ("parent_doc_id", pa.string()), ("child_doc_id", pa.string()), ("parent_issuer", pa.string()),
    ("parent_level", pa.string()), ("parent_number", pa.string()), ("child_issuer", pa.string()),
    ("child_level", pa.string()), ("via_raw", pa.string()), ("is_basis", pa.bool_()),
])


@lru_cache(maxsize=1)
def _vocab() -> dict:
    return {"admin": read_toml("admin_units.toml"), "link": read_toml("linking.toml")}


@dataclass(frozen=True)
class _Doc:
    doc_id: str
    issuer: str | None
    level: str | None
    locality: str  # gazetteer keys ("" when unknown)
    district: str
    province: str
    district_name: str | None
    province_name: str | None
    admin_code: str | None
    number_key: str | None  # "49khubnd"
    number: str | None  # "49/KH-UBND"
    issue_date: str | None
    year: int | None
    title_key: str

    @property
    def in_province(self) -> str:
        """Key of the province the unit is in (itself for a province)."""
        return self.locality if self.level == "province" else self.province

    @classmethod
    def of(cls, row: dict[str, Any]) -> _Doc:
        has_number = row.get("doc_number") and row.get("doc_symbol")
        number = f"{row['doc_number']}/{row['doc_symbol']}" if has_number else None
        date = row.get("issue_date")
        year = int(date[:4]) if date and date[:4].isdigit() else row.get("period_start_year")
        return cls(row["doc_id"], row.get("issuer"), row.get("admin_level"), _key(row.get("locality")),
                   _key(row.get("district")), _key(row.get("province")), row.get("district"), row.get("province"),
                   row.get("admin_code"), number_key(number) if number else None, number, date, year,
                   _ALNUM.sub(" ", fold(row.get("title") or "")).strip())


def _key(name: str | None) -> str:
    return key(name) if name else ""


def number_key(number: str) -> str:
    """'49/KH-UBND', '049 /KH-UBND' and 49 + 'KH-UBND' all give '49khubnd'."""
    return _ALNUM.sub("", fold(number)).lstrip("0")


# ---------------------------------------------------------------- committee units named in text

def committee_unit(text: str | None) -> tuple[str, str | None] | None:
    """(admin level, name or None) of the People's Committee a phrase names: 'UBND huyện Cao Lộc'
    -> ('district', 'Cao Lộc'); 'Chủ tịch UBND tỉnh' -> ('province', None); None otherwise."""
    if not text:
        return None
    words = text.split()
    folded = [fold(w) for w in words]
    for committee in _vocab()["link"]["references"]["committee"]:
        n = len(committee.split())
        for i in range(len(words) - n + 1):
            if " ".join(folded[i:i + n]) == fold(committee):
                return _typed_unit(words[i + n:], folded[i + n:])
    return None


def _typed_unit(words: list[str], folded: list[str]) -> tuple[str, str | None] | None:
    types = sorted(_vocab()["admin"]["locality_types"].items(), key=lambda t: -len(t[0]))
    for ltype, level in types:
        n = len(ltype.split())
        if " ".join(folded[:n]) != fold(ltype):
            continue
        name_words = []
        for w in words[n:]:
            if not (w[:1].isupper() or w[:1].isdigit()):
                break
            name_words.append(w.strip(",.;:"))
        name = " ".join(name_words) or None
        if ltype == "thành phố" and name and is_province_city(name):
            level = "province"
        return level, name
    return None


# ---------------------------------------------------------------- references → documents

def _dates_agree(cited: str | None, issued: str | None) -> bool:
    """'2023-02-13' agrees with '2023-02' and '2023' (a date written as precisely as known)."""
    if not cited or not issued:
        return True
    n = min(len(cited), len(issued))
    return cited[:n] == issued[:n]


def _cited_unit(level: str, name: str | None, citing: _Doc) -> str | None:
    """Gazetteer key of the cited committee; an unnamed one is the citing plan's own unit or parent."""
    if name:
        return key(name)
    if level == citing.level:
        return citing.locality or None
    if level == "district" and citing.level == "commune":
        return citing.district or None
    if level == "province":
        return citing.in_province or None
    return None


def _target(ref: dict[str, Any], citing: _Doc, by_number: dict[str, list[_Doc]]) -> str | None:
    if not ref.get("number"):
        return None
    unit = committee_unit(ref.get("issuer"))
    if unit is None:
        return None
    level, name = unit
    locality = _cited_unit(level, name, citing)
    if not locality:
        return None
    found = [t for t in by_number.get(number_key(ref["number"]), [])
             if t.doc_id != citing.doc_id and t.level == level and t.locality == locality
             and (level == "province" or not (t.province and citing.in_province) or t.province == citing.in_province)
             and (level != "commune" or citing.level != "district" or not t.district
                  or t.district == citing.locality)
             and _dates_agree(ref.get("date"), t.issue_date)]
    # copies of one plan (DOCX and PDF of it) count once; two different plans are ambiguous
    if len({(t.issue_date, t.title_key) for t in found}) != 1:
        return None
    return min(t.doc_id for t in found)


def link_references(refs: list[dict[str, Any]], docs: dict[str, _Doc]) -> list[str | None]:
    by_number: dict[str, list[_Doc]] = defaultdict(list)
    for d in docs.values():
        if d.number_key:
            by_number[d.number_key].append(d)
    return [_target(r, docs[r["doc_id"]], by_number) if r.get("doc_id") in docs else None for r in refs]


def plan_tree(refs: list[dict[str, Any]], targets: list[str | None], docs: dict[str, _Doc]) -> pa.Table:
    """One row per (parent, child) pair where the child cites a plan of a higher level."""
    levels = _vocab()["link"]["plan_tree"]["levels"]
    rank = {lvl: i for i, lvl in enumerate(levels)}
    edges: dict[tuple[str, str], dict] = {}
    for ref, target in sorted(zip(refs, targets, strict=True), key=lambda rt: not rt[0].get("is_basis")):
        if target is None:
            continue
        parent, child = docs[target], docs[ref["doc_id"]]
        if rank.get(parent.level or "", len(levels)) >= rank.get(child.level or "", -1):
            continue
        edges.setdefault((parent.doc_id, child.doc_id), {
            "parent_doc_id": parent.doc_id, "child_doc_id": child.doc_id, "parent_issuer": parent.issuer,
            "parent_level": parent.level, "parent_number": parent.number, "child_issuer": child.issuer,
            "child_level": child.level, "via_raw": ref.get("raw"), "is_basis": bool(ref.get("is_basis"))})
    rows = sorted(edges.values(), key=lambda e: (rank[e["parent_level"]], e["parent_doc_id"], e["child_doc_id"]))
    return pa.Table.from_pylist(rows, schema=PLAN_TREE_SCHEMA)


# ---------------------------------------------------------------- people → persons

@lru_cache(maxsize=1)
def _skeleton_pairs() -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in _vocab()["link"]["names"]["ocr_skeleton"])


def name_skeleton(name: str) -> str:
    """Accent-free, OCR-confusion-free form of a name: 'Hoàng Văn Huấn' = 'Hoàng Văn Huân' (a mark
    typo), 'Lê Thị Lan' = 'Lê Thị 1an' (an OCR confusion)."""
    text = fold(name)
    for wrong, right in _skeleton_pairs():
        text = text.replace(wrong, right)
    return " ".join(_ALNUM.sub(" ", text).split())


def _unit_id(doc: _Doc, title: str | None) -> tuple[str, str | None, str | None]:
    """(identity, issuer label, admin code) of the unit a person works for: the plan's issuer, or
    its parent district/province when the title names that level ("Phó Chủ tịch UBND huyện")."""
    local = f"doc:{doc.doc_id}"
    titled = committee_unit(title)
    level = titled[0] if titled else doc.level
    if doc.level is None:
        return local, doc.issuer, None
    if level == doc.level:
        if doc.admin_code:
            return f"{level}:{doc.admin_code}", doc.issuer, doc.admin_code
        known = {"province": True, "district": bool(doc.province),
                 "commune": bool(doc.district and doc.province)}[doc.level]
        ident = f"{level}:{doc.locality}:{doc.district}:{doc.province}"
        return (ident if known and doc.locality else local), doc.issuer, None
    prefix = _vocab()["admin"]["issuer"]["output_prefix"]
    if level == "district" and doc.level == "commune" and doc.district_name:
        found = districts_named(doc.district_name, doc.province_name)
        if len(found) == 1:
            p = found[0]
            return f"district:{p.code}", f"{prefix} {p.district_type} {p.district}", p.code
    if level == "province" and doc.province_name and doc.level in ("commune", "district"):
        p = resolve("tỉnh", doc.province_name) or resolve("thành phố", doc.province_name)
        if p and p.district is None:
            return f"province:{p.code}", f"{prefix} tỉnh {p.province}", p.code
    return f"{local}:{level}", None, None


def link_people(people: list[dict[str, Any]], docs: dict[str, _Doc]) -> tuple[list[str | None], pa.Table]:
    """person_id of every people row, and the persons table."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    units: list[tuple[str, str | None, str | None]] = []
    for i, row in enumerate(people):
        doc = docs.get(row.get("doc_id") or "")
        unit = _unit_id(doc, row.get("title")) if doc else (f"row:{i}", None, None)
        units.append(unit)
        groups[(unit[0], name_skeleton(row.get("name") or ""))].append(i)
    ids: list[str | None] = [None] * len(people)
    persons = []
    for (unit, skeleton), members in sorted(groups.items()):
        per_doc = Counter(people[i].get("doc_id") for i in members)
        # the people extractor kept two same-named officials of one plan apart by title: keep them apart
        split = max(per_doc.values()) > 1
        parts: dict[str, list[int]] = defaultdict(list)
        for i in members:
            parts[fold(people[i].get("title") or "") if split else ""].append(i)
        for title_key, rows in sorted(parts.items()):
            pid = "P" + hashlib.sha1(f"{unit}|{skeleton}|{title_key}".encode()).hexdigest()[:12]
            for i in rows:
                ids[i] = pid
            persons.append(_person(pid, [people[i] for i in rows], [units[i] for i in rows], docs))
    persons.sort(key=lambda p: p["person_id"])
    return ids, pa.Table.from_pylist(persons, schema=PERSONS_SCHEMA)


def _person(pid: str, rows: list[dict], units: list[tuple], docs: dict[str, _Doc]) -> dict[str, Any]:
    names = Counter(r["name"] for r in rows)
    signed = {r["name"] for r in rows if "signer" in (r.get("roles") or [])}
    # most frequent, then the signature's spelling, then the one with more marks (typos drop them)
    name = min(names, key=lambda n: (-names[n], n not in signed, -len(unicodedata.normalize("NFD", n)), n))
    spellings = {n for r in rows for n in [r["name"], *(r.get("variants") or [])]} - {name}
    doc_ids = sorted({r["doc_id"] for r in rows})
    years = sorted(y for d in doc_ids if d in docs and (y := docs[d].year) is not None)
    return {
        "person_id": pid, "name": name, "variants": sorted(spellings),
        "units": sorted({u[1] for u in units if u[1]}), "admin_codes": sorted({u[2] for u in units if u[2]}),
        "titles": sorted({r["title"] for r in rows if r.get("title")}),
        "roles": sorted({x for r in rows for x in r.get("roles") or []}),
        "doc_ids": doc_ids, "n_docs": len(doc_ids),
        "first_year": years[0] if years else None, "last_year": years[-1] if years else None,
    }


# ---------------------------------------------------------------- entry point

def _with_column(table: pa.Table, name: str, values: list[str | None]) -> pa.Table:
    column = pa.array(values, type=pa.string())
    at = table.schema.get_field_index(name)
    return table.set_column(at, name, column) if at != -1 else table.append_column(name, column)


LINKED_TABLES = ("persons", "plan_tree")  # the tables link_dataset adds to the per-document ones


def link_dataset(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The tables with references.target_doc_id and people.person_id added, plus the new
    `persons` and `plan_tree` tables. The input tables are not modified."""
    out = dict(tables)
    docs = {r["doc_id"]: _Doc.of(r) for r in tables["documents"].to_pylist()} if "documents" in tables else {}
    refs = tables["references"].to_pylist() if "references" in tables else []
    targets = link_references(refs, docs)
    if "references" in tables:
        out["references"] = _with_column(tables["references"], "target_doc_id", targets)
    out["plan_tree"] = plan_tree(refs, targets, docs)
    people = tables["people"].to_pylist() if "people" in tables else []
    ids, persons = link_people(people, docs)
    if "people" in tables:
        out["people"] = _with_column(tables["people"], "person_id", ids)
    out["persons"] = persons
    return out
