"""Administrative places → the official gazetteer (PyPI `vietnamadminunits`, offline SQLite).

The plans name the issuing unit by type and short name ("xã Hồng Phong", "thị xã Bỉm Sơn");
the gazetteer fills what the text leaves out (the province of a known district, the code of the
issuing unit) only when the answer is unambiguous. Legacy (63-province, 3-level) units are tried
first because plans before mid-2025 use them; the 2025 (2-level) table serves later communes
(`modern=True` tries it first, for plans issued after the reform). `successor_2025` gives the
unit that took a legacy unit over on 2025-07-01. Licence and data date: docs/PLACES.md.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from normalizers.text import fold

COMMUNE_TYPES = ("xã", "phường", "thị trấn")
DISTRICT_TYPES = ("huyện", "quận", "thị xã", "thành phố")
NOTE_SHOWN = 4  # candidates named in an ambiguity note before "…"
REFORM_DATE = "2025-07-01"  # the two-level local government took office (Resolution 202/2025/QH15)
_NON_KEY = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class Place:
    province: str | None
    district: str | None  # short name ("Cao Lộc")
    district_type: str | None  # lower case ("huyện", "thị xã")
    commune: str | None
    code: str | None  # official code of the most specific unit that was asked for
    table: str = "legacy"  # gazetteer table it comes from: legacy (before 2025-07-01) or 2025

    def label(self) -> str:
        """'huyện Cao Lộc, Lạng Sơn': where the unit is, for notes."""
        district = " ".join(x for x in (self.district_type, self.district) if x)
        return ", ".join(x for x in (district, self.province) if x)


@dataclass(frozen=True)
class Successor:
    """The unit that took a legacy unit over in the 2025 reform (districts were abolished)."""

    unit: str | None  # "xã Đồng Đăng", "tỉnh Bắc Ninh"; None for a district or a split commune
    code: str | None
    province: str | None
    split_into: tuple[str, ...] = ()  # a commune divided between several 2025 communes


def key(name: str) -> str:
    """The gazetteer's key of a short name: 'Bỉm Sơn' -> 'bimson'."""
    return _NON_KEY.sub("", fold(name))


@lru_cache(maxsize=1)
def _package_dir() -> Path:
    """The package's folder, found without importing it (its __init__ loads geocoding libraries
    and 4 MB of parser data that the gazetteer does not need)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("vietnamadminunits is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _query(sql: str) -> list[dict]:
    """Rows of one query as fresh dicts (callers may keep or change them)."""
    return [dict(r) for r in _cached_query(sql)]


@lru_cache(maxsize=2048)  # bounded: a few rows per query; plans of one province ask the same
def _cached_query(sql: str) -> tuple[tuple[tuple[str, object], ...], ...]:
    with _DB_LOCK:
        rows = _database().execute(sql).fetchall()
    return tuple(tuple(zip(r.keys(), tuple(r), strict=True)) for r in rows)


# The package's dataset.db has no index: each query scanned a whole table (~3 ms). Each process
# copies the columns the queries above read into an in-memory database (~3 MB, ~50 ms once) with
# an index on every column they filter on; rows keep their order (so do the query results).
_MEMORY_TABLES = {  # table: (columns read, columns filtered on)
    "admin_units_legacy": (
        ("province", "provinceShort", "districtShort", "wardShort", "districtType", "wardType", "provinceCode",
         "districtCode", "wardCode", "provinceKey", "provinceShortKey", "districtKey", "districtShortKey", "wardKey",
         "wardShortKey"),
        ("provinceShortKey", "districtShortKey", "wardShortKey", "provinceCode", "districtCode", "wardCode")),
    "admin_units": (
        ("province", "provinceShort", "wardShort", "wardType", "provinceCode", "wardCode", "provinceKey",
         "provinceShortKey", "wardKey", "wardShortKey"),
        ("provinceKey", "provinceShortKey", "wardShortKey", "wardCode")),
}
_DATABASES: dict[int, sqlite3.Connection] = {}  # pid -> its copy (a connection must not cross a fork:
_DB_LOCK = threading.Lock()                       # a forked worker leaves its parent's copy alone)


def _database() -> sqlite3.Connection:
    conn = _DATABASES.get(os.getpid())
    if conn is None:
        conn = _DATABASES[os.getpid()] = _load_database()
    return conn


def _load_database() -> sqlite3.Connection:
    uri = (_package_dir() / "data" / "dataset.db").as_uri() + "?mode=ro"
    conn = sqlite3.connect(":memory:", uri=True, check_same_thread=False)  # shared under _DB_LOCK
    conn.execute("attach database ? as src", (uri,))
    for table, (columns, keys) in _MEMORY_TABLES.items():
        types = {r[1]: r[2] for r in conn.execute(f"pragma src.table_info({table})")}
        conn.execute(f"create table main.{table} ({', '.join(f'{c} {types[c]}' for c in columns)})")
        conn.execute(f"insert into main.{table} select {', '.join(columns)} from src.{table} order by rowid")
        for column in keys:
            conn.execute(f"create index main.{table}_{column} on {table} ({column})")
    conn.commit()
    conn.execute("detach database src")
    conn.row_factory = sqlite3.Row
    return conn


def _pick(rows: list[dict], fields: tuple[str, ...], names: dict[str, str]) -> list[dict]:
    """Distinct rows over `fields`; exact accented names win over key-only matches ('Thanh Hóa'
    vs 'Thạnh Hóa' share a key)."""
    distinct = list({tuple(r[f] for f in fields): r for r in rows}.values())
    exact = [r for r in distinct if all(r.get(col) == val for col, val in names.items())]
    return exact or distinct


@lru_cache(maxsize=4096)
def candidates(locality_type: str | None, locality: str | None, district: str | None = None,
               province: str | None = None, modern: bool = False) -> tuple[Place, ...]:
    """Every gazetteer unit `<locality_type> <locality>` (inside `district`/`province` when given)
    could be. Communes: the legacy table, or the 2025 table when the legacy one has none and no
    district is named (the other way round when `modern`)."""
    if not locality or not locality_type:
        return ()
    ltype = locality_type.lower()
    if ltype == "tỉnh" or (ltype == "thành phố" and not district and _is_province(locality)):
        rows = _query(f"select distinct province, provinceShort, provinceCode from admin_units_legacy "
                      f"where provinceShortKey = '{key(locality)}'")
        rows = _pick(rows, ("provinceCode",), {"provinceShort": locality})
        return tuple(Place(r["provinceShort"], None, None, None, r["provinceCode"]) for r in rows)
    where = [f"provinceShortKey = '{key(province)}'"] if province else []
    if ltype in DISTRICT_TYPES:
        where += [f"districtShortKey = '{key(locality)}'", f"lower(districtType) = '{ltype}'"]
        rows = _query("select distinct provinceShort, districtShort, districtType, districtCode "
                      "from admin_units_legacy where " + " and ".join(where))
        rows = _pick(rows, ("districtCode",), {"districtShort": locality})
        return tuple(Place(r["provinceShort"], r["districtShort"], r["districtType"].lower(), None,
                           r["districtCode"]) for r in rows)
    if ltype not in COMMUNE_TYPES:
        return ()
    legacy = () if modern and not district else _legacy_communes(ltype, locality, district, province)
    if legacy or district:
        return legacy
    return _communes_2025(ltype, locality, province) or (
        _legacy_communes(ltype, locality, None, province) if modern else ())


def _ward_where(ltype: str, locality: str, province: str | None) -> list[str]:
    return ([f"provinceShortKey = '{key(province)}'"] if province else []) + [
        f"wardShortKey = '{key(locality)}'", f"lower(wardType) = '{ltype}'"]


def _legacy_communes(ltype: str, locality: str, district: str | None, province: str | None) -> tuple[Place, ...]:
    where = _ward_where(ltype, locality, province) + ([f"districtShortKey = '{key(district)}'"] if district else [])
    rows = _query("select provinceShort, districtShort, districtType, wardShort, wardCode "
                  "from admin_units_legacy where " + " and ".join(where))
    rows = _pick(rows, ("wardCode",), {"wardShort": locality, **({"districtShort": district} if district else {})})
    return tuple(Place(r["provinceShort"], r["districtShort"], r["districtType"].lower(), r["wardShort"],
                       r["wardCode"]) for r in sorted(rows, key=lambda r: r["wardCode"]))


def _communes_2025(ltype: str, locality: str, province: str | None) -> tuple[Place, ...]:
    rows = _query("select provinceShort, wardShort, wardCode from admin_units where "
                  + " and ".join(_ward_where(ltype, locality, province)))
    rows = _pick(rows, ("wardCode",), {"wardShort": locality})
    return tuple(Place(r["provinceShort"], None, None, r["wardShort"], r["wardCode"], "2025")
                 for r in sorted(rows, key=lambda r: r["wardCode"]))


def resolve(locality_type: str | None, locality: str | None, district: str | None = None,
            province: str | None = None, modern: bool = False) -> Place | None:
    """The unit `<locality_type> <locality>` (optionally inside `district`/`province`) when the
    gazetteer knows exactly one such unit; None otherwise."""
    found = candidates(locality_type, locality, district, province, modern)
    return found[0] if len(found) == 1 else None


def unresolved_note(locality_type: str, locality: str, district: str | None = None,
                    province: str | None = None, modern: bool = False) -> str:
    """Why `resolve` gave nothing, for documents.place_note: 'ambiguous: 3 communes named Hồng
    Phong (Bình Gia, Lạng Sơn; Cao Lộc, Lạng Sơn; …)' or 'not in the gazetteer: xã X (huyện Y)'."""
    found = candidates(locality_type, locality, district, province, modern)
    where = ", ".join(x for x in (f"{_district_word(district)} {district}" if district else None,
                                  f"tỉnh {province}" if province else None) if x)
    named = f"{locality_type} {locality}" + (f" ({where})" if where else "")
    if not found:
        return f"not in the gazetteer: {named}"
    places = "; ".join(p.label() for p in found[:NOTE_SHOWN]) + ("; …" if len(found) > NOTE_SHOWN else "")
    noun = "units" if locality_type.lower() not in COMMUNE_TYPES else "communes"
    context = f" in {where}" if where else ", and the plan names no district or province that decides"
    return f"ambiguous: {len(found)} {noun} named {locality_type} {locality}{context} ({places})"


def _district_word(name: str) -> str:
    """'huyện' unless the gazetteer says the named district is a town or city."""
    types = {r["districtType"].lower() for r in _query(
        f"select distinct districtType from admin_units_legacy where districtShortKey = '{key(name)}'")}
    return types.pop() if len(types) == 1 else "huyện"


def is_province_city(name: str) -> bool:
    """'thành phố Hải Phòng' is a province; 'thành phố Lạng Sơn' is a district."""
    return _is_province(name)


@lru_cache(maxsize=4096)
def districts_named(name: str, province: str | None = None) -> tuple[Place, ...]:
    """Every district-level unit (huyện, quận, thị xã, thành phố) of that short name, in one query:
    for a parent district known by its name only ("UBND huyện" of a commune's plan)."""
    where = [f"districtShortKey = '{key(name)}'"] + ([f"provinceShortKey = '{key(province)}'"] if province else [])
    rows = _query("select distinct provinceShort, districtShort, districtType, districtCode "
                  "from admin_units_legacy where " + " and ".join(where))
    rows = _pick(rows, ("districtCode",), {"districtShort": name})
    return tuple(Place(r["provinceShort"], r["districtShort"], r["districtType"].lower(), None, r["districtCode"])
                 for r in sorted(rows, key=lambda r: r["districtCode"]))


@lru_cache(maxsize=1024)
def _is_province(name: str) -> bool:
    """A centrally-run city ('thành phố Hải Phòng'), not a provincial city ('thành phố Lạng Sơn')."""
    return bool(_query(f"select 1 from admin_units_legacy where provinceShortKey = '{key(name)}' "
                       "and province like 'Thành phố %' limit 1"))


# ---------------------------------------------------------------- the 2025 reform

@dataclass(frozen=True)
class _Reform:
    provinces: dict[str, str]  # legacy provinceKey -> 2025 provinceKey
    communes: dict[str, str]  # legacy "province_district_ward" key -> 2025 wardKey
    divided: dict[str, tuple[str, ...]]  # legacy key -> 2025 wardKeys sharing its territory


@lru_cache(maxsize=1)
def _reform() -> _Reform:
    """The package's own 63 → 34 province and commune merger tables (converter_2025.json)."""
    data = json.loads((_package_dir() / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    provinces = {old: new for new, olds in data["DICT_PROVINCE"].items() for old in olds}
    communes = {old: new for wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].values()
                for new, olds in wards.items() for old in olds}
    divided = {old: tuple(w["newWardKey"] for w in news)
               for wards in data["DICT_PROVINCE_WARD_DIVIDED"].values() for old, news in wards.items()}
    return _Reform(provinces, communes, divided)


@lru_cache(maxsize=256)
def _province_2025(province_key: str) -> tuple[str, str, str] | None:
    """(full name, short name, code) of a 2025 province by its key."""
    rows = _query(f"select distinct province, provinceShort, provinceCode from admin_units "
                  f"where provinceKey = '{_safe(province_key)}'")
    return (rows[0]["province"], rows[0]["provinceShort"], rows[0]["provinceCode"]) if len(rows) == 1 else None


def _ward_2025(province_key: str, ward_key: str) -> dict | None:
    rows = _query(f"select wardType, wardShort, wardCode from admin_units where provinceKey = "
                  f"'{_safe(province_key)}' and wardKey = '{_safe(ward_key)}'")
    return rows[0] if len(rows) == 1 else None


def _safe(text: str) -> str:
    return text.replace("'", "''")


@lru_cache(maxsize=4096)
def successor_2025(place: Place) -> Successor | None:
    """The 2025 unit of a resolved place: the merged commune and province for a commune, the
    merged province for a province, the province alone for a district (districts were
    abolished); None when the gazetteer's merger tables do not know the place."""
    if place.table == "2025":
        return Successor(f"{_ward_type(place.code)} {place.commune}", place.code, place.province)
    if place.commune:
        rows = _query(f"select provinceKey, districtKey, wardKey from admin_units_legacy "
                      f"where wardCode = '{_safe(place.code or '')}'")
    elif place.district:
        rows = _query(f"select distinct provinceKey from admin_units_legacy "
                      f"where districtCode = '{_safe(place.code or '')}'")
    else:
        rows = _query(f"select distinct provinceKey from admin_units_legacy "
                      f"where provinceCode = '{_safe(place.code or '')}'")
    if len(rows) != 1:
        return None
    row = rows[0]
    reform = _reform()
    new_province = reform.provinces.get(row["provinceKey"])
    province = _province_2025(new_province) if new_province else None
    if province is None:
        return None
    full, short, province_code = province
    if not place.commune:
        if place.district:
            return Successor(None, None, short)
        return Successor(full[:1].lower() + full[1:], province_code, short)
    old = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"
    if old in reform.divided:
        names = [w for k in reform.divided[old] if (w := _ward_2025(new_province, k))]
        return Successor(None, None, short, tuple(f"{w['wardType'].lower()} {w['wardShort']}" for w in names))
    ward = _ward_2025(new_province, reform.communes.get(old, ""))
    if ward is None:
        return Successor(None, None, short)
    return Successor(f"{ward['wardType'].lower()} {ward['wardShort']}", ward["wardCode"], short)


def _ward_type(code: str | None) -> str:
    rows = _query(f"select wardType from admin_units where wardCode = '{_safe(code or '')}'")
    return rows[0]["wardType"].lower() if rows else ""


def after_reform(iso_date: str | None) -> bool:
    """A plan issued on or after the 2025 reform names the new (2-level) units."""
    return bool(iso_date) and str(iso_date)[:10] >= REFORM_DATE
