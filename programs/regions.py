"""Kemendagri region codes: province 18, regency 18.08, district 18.08.02,
village 18.08.02.2013, read from the vendored idn-area-data CSV files
(data/idn-area-data, ODbL).

Provinces, regencies and districts (about 7,800) are kept in memory; the
83,000 villages stay one block of text searched with str.find, so a worker
holds about 6 MB of them, and only once a village is asked for.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "idn-area-data"
FILES = ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv")
PROVINCE, REGENCY, DISTRICT, VILLAGE = range(4)
CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    parent_code: str  # "" for a province

    @property
    def level(self):
        return level_of(self.code)


def level_of(code):
    return code.count(".")


def data_version():
    return (DATA_DIR / "VERSION").read_text().strip()


def _read(name, parent_column):
    with open(DATA_DIR / name, newline="", encoding="utf-8") as file:
        return [
            Region(row["code"], row["name"], row[parent_column] if parent_column else "")
            for row in csv.DictReader(file)
        ]


@cache
def _upper():
    """Provinces, regencies and districts by code, and the children of each code."""
    by_code, children = {}, {}
    for name, parent in (
        ("provinces.csv", None),
        ("regencies.csv", "province_code"),
        ("districts.csv", "regency_code"),
    ):
        for region in _read(name, parent):
            by_code[region.code] = region
            children.setdefault(region.parent_code, []).append(region)
    return by_code, children


@cache
def _villages_text():
    """villages.csv as one string starting with a newline, and its lowercase twin."""
    text = "\n" + (DATA_DIR / "villages.csv").read_text(encoding="utf-8")
    return text, text.lower()


def _village_line(text, start):
    end = text.find("\n", start + 1)
    code, district_code, name = text[start + 1 : end if end != -1 else None].split(",", 2)
    return Region(code, name.strip().strip('"'), district_code), end


@lru_cache(maxsize=512)
def villages_of(district_code):
    """The villages of a district, in code order (the file is sorted by code)."""
    if level_of(district_code) != DISTRICT or not CODE_RE.match(district_code):
        return ()
    text, _lower = _villages_text()
    found = []
    start = text.find(f"\n{district_code}.")
    while start != -1 and text.startswith(f"\n{district_code}.", start):
        region, start = _village_line(text, start)
        found.append(region)
    return tuple(found)


def region(code):
    """The Region of a code of any level, or None."""
    if not isinstance(code, str) or not CODE_RE.match(code):
        return None
    if level_of(code) < VILLAGE:
        return _upper()[0].get(code)
    for village in villages_of(code.rsplit(".", 1)[0]):
        if village.code == code:
            return village
    return None


def children(parent_code=""):
    """Provinces (parent ""), a province's regencies, a regency's districts or a district's
    villages."""
    if parent_code and level_of(parent_code) == DISTRICT:
        return list(villages_of(parent_code))
    return list(_upper()[1].get(parent_code, ()))


def path(code):
    """[province, regency, …, the region itself], or [] for an unknown code."""
    found = []
    while code:
        current = region(code)
        if current is None:
            return []
        found.append(current)
        code = current.parent_code
    return found[::-1]


def search(query, *, limit=20):
    """Regencies, districts and villages whose name holds `query`, villages last."""
    words = " ".join(query.lower().split())
    if len(words) < 3:
        return []
    found = [
        r
        for r in _upper()[0].values()
        if r.level in (REGENCY, DISTRICT) and words in r.name.lower()
    ][:limit]
    text, lower = _villages_text()
    start = lower.find(words)
    while start != -1 and len(found) < limit:
        line_start = lower.rfind("\n", 0, start)
        village, end = _village_line(text, line_start)
        found.append(village)
        if end == -1:
            break
        start = lower.find(words, end)
    return found


# Words written before a name that the official list leaves out ("Kabupaten"
# is part of a regency's official name, so it is dropped on both sides).
PREFIXES = {
    PROVINCE: ("provinsi", "prov"),
    REGENCY: ("kabupaten", "kab"),
    DISTRICT: ("kecamatan", "kec", "distrik"),
    VILLAGE: ("kampung", "desa", "kelurahan", "kel", "pekon", "tiyuh", "nagari", "gampong"),
}


def normalized(level, text):
    words = re.sub(r"[^\w]+", " ", text.lower()).split()
    while words and words[0] in PREFIXES[level]:
        words = words[1:]
    return " ".join(words)


def _spellings(region):
    name = normalized(region.level, region.name)
    # "Kota Metro" may be typed "Metro"; "Bogor" is then both Kabupaten and Kota Bogor.
    return {name, name.removeprefix("kota ")} if region.level == REGENCY else {name}


def _only(candidates, text, level):
    wanted = normalized(level, text)
    if not wanted:
        return None
    matches = [r for r in candidates if wanted in _spellings(r)]
    return matches[0] if len(matches) == 1 else None


def match_names(*, province="", regency="", district="", village=""):
    """Codes for free-text place names, where each matches exactly one region.

    A regency is looked for in its province when that matched, else in the
    whole country; a district only in its matched regency, a village only in
    its matched district. Returns ({level: Region}, complete) where complete
    means every non-empty name found its code.
    """
    by_code, kids = _upper()
    found = {}
    province_region = _only(kids[""], province, PROVINCE)
    if province_region:
        found[PROVINCE] = province_region
    pool = (
        kids.get(province_region.code, [])
        if province_region
        else [r for r in by_code.values() if r.level == REGENCY]
    )
    regency_region = _only(pool, regency, REGENCY)
    if regency_region:
        found[REGENCY] = regency_region
        found[PROVINCE] = by_code[regency_region.parent_code]
        district_region = _only(kids.get(regency_region.code, []), district, DISTRICT)
        if district_region:
            found[DISTRICT] = district_region
            village_region = _only(villages_of(district_region.code), village, VILLAGE)
            if village_region:
                found[VILLAGE] = village_region
    texts = (province, regency, district, village)
    complete = all(level in found for level, text in enumerate(texts) if text.strip())
    return found, complete
