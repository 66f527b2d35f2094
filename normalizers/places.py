"""Administrative places → the official gazetteer (PyPI `vietnamadminunits`, offline SQLite).

The plans name the issuing unit by type and short name ("xã Hồng Phong", "thị xã Bỉm Sơn");
the gazetteer fills what the text leaves out (the province of a known district, the code of the
issuing unit) only when the answer is unambiguous. Legacy (63-province, 3-level) units are tried
first because plans before mid-2025 use them; the 2025 (2-level) table serves later communes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalizers.text import fold

COMMUNE_TYPES = ("xã", "phường", "thị trấn")
DISTRICT_TYPES = ("huyện", "quận", "thị xã", "thành phố")
_NON_KEY = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class Place:
    province: str | None
    district: str | None  # short name ("Cao Lộc")
    district_type: str | None  # lower case ("huyện", "thị xã")
    commune: str | None
    code: str | None  # official code of the most specific unit that was asked for


def key(name: str) -> str:
    """The gazetteer's key of a short name: 'Bỉm Sơn' -> 'bimson'."""
    return _NON_KEY.sub("", fold(name))


def _query(sql: str) -> list[dict]:
    from vietnamadminunits.database import query

    return query(sql)


def _pick(rows: list[dict], fields: tuple[str, ...], names: dict[str, str]) -> list[dict]:
    """Distinct rows over `fields`; exact accented names win over key-only matches ('Thanh Hóa'
    vs 'Thạnh Hóa' share a key)."""
    distinct = list({tuple(r[f] for f in fields): r for r in rows}.values())
    exact = [r for r in distinct if all(r.get(col) == val for col, val in names.items())]
    return exact or distinct


@lru_cache(maxsize=4096)
def resolve(locality_type: str | None, locality: str | None, district: str | None = None,
            province: str | None = None) -> Place | None:
    """The unit `<locality_type> <locality>` (optionally inside `district`/`province`) when the
    gazetteer knows exactly one such unit; None otherwise."""
    if not locality or not locality_type:
        return None
    ltype = locality_type.lower()
    if ltype == "tỉnh" or (ltype == "thành phố" and not district and _is_province(locality)):
        rows = _query(f"select distinct province, provinceShort, provinceCode from admin_units_legacy "
                      f"where provinceShortKey = '{key(locality)}'")
        rows = _pick(rows, ("provinceCode",), {"provinceShort": locality})
        if len(rows) != 1:
            return None
        return Place(rows[0]["provinceShort"], None, None, None, rows[0]["provinceCode"])
    where = []
    if province:
        where.append(f"provinceShortKey = '{key(province)}'")
    if ltype in DISTRICT_TYPES:
        where += [f"districtShortKey = '{key(locality)}'", f"lower(districtType) = '{ltype}'"]
        rows = _query("select distinct provinceShort, districtShort, districtType, districtCode "
                      "from admin_units_legacy where " + " and ".join(where))
        rows = _pick(rows, ("districtCode",), {"districtShort": locality})
        if len(rows) != 1:
            return None
        r = rows[0]
        return Place(r["provinceShort"], r["districtShort"], r["districtType"].lower(), None,
                     r["districtCode"])
    if ltype not in COMMUNE_TYPES:
        return None
    ward = [f"wardShortKey = '{key(locality)}'", f"lower(wardType) = '{ltype}'"]
    legacy = where + ward + ([f"districtShortKey = '{key(district)}'"] if district else [])
    rows = _query("select provinceShort, districtShort, districtType, wardShort, wardCode "
                  "from admin_units_legacy where " + " and ".join(legacy))
    exact = {"wardShort": locality, **({"districtShort": district} if district else {})}
    rows = _pick(rows, ("wardCode",), exact)
    if len(rows) == 1:
        r = rows[0]
        return Place(r["provinceShort"], r["districtShort"], r["districtType"].lower(), r["wardShort"],
                     r["wardCode"])
    if rows or district:
        return None
    rows = _query("select provinceShort, wardShort, wardCode from admin_units where "
                  + " and ".join(where + ward))
    rows = _pick(rows, ("wardCode",), {"wardShort": locality})
    if len(rows) == 1:
        r = rows[0]
        return Place(r["provinceShort"], None, None, r["wardShort"], r["wardCode"])
    return None


@lru_cache(maxsize=1024)
def _is_province(name: str) -> bool:
    """A centrally-run city ('thành phố Hải Phòng'), not a provincial city ('thành phố Lạng Sơn')."""
    return bool(_query(f"select 1 from admin_units_legacy where provinceShortKey = '{key(name)}' "
                       "and province like 'Thành phố %' limit 1"))
