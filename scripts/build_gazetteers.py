"""Build the gazetteer tables the package ships (``graph/data/gazetteer/*.tsv``).

Reads the public lists in ``../shared/data/gazetteers/`` (see NOTICE for sources and licences)
and writes small, sorted, tab-separated tables; the output depends only on the input files,
so running it twice gives the same bytes:

- ``companies.tsv``   listed companies: stock code, short name, full name, place code
  (the city from the Shenzhen exchange's list when it has one, else the province);
- ``universities.tsv`` regular higher-education institutions: MoE code, name, city code;
- ``towns.tsv``       townships, streets and zones below the county: 9-digit code, name;
- ``counties.tsv``    county-level units (new districts, county-level zones) that the
  older division table ``graph/data/adcodes.tsv`` does not list, so towns keep a parent.

The noisy lists (``company_shorter_form_28w.txt``, ``hanlp_org_nt.txt``) are not shipped: their
entries include ordinary words, which the recognizer would turn into false companies.

Names are written in the form the recognizer compares them in (``graph.normalize.normalize_name``:
simplified characters, full-width brackets), so run it with the project's environment.

Usage::

    .venv/bin/python scripts/build_gazetteers.py [--source ../shared/data/gazetteers] [--out graph/data/gazetteer]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.text.normalize import normalize_name  # noqa: E402

# ../shared/data/gazetteers beside the checkout (or beside its parent, for a worktree).
DEFAULT_SOURCE = next(
    (
        p / "shared" / "data" / "gazetteers"
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared" / "data" / "gazetteers").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "gazetteers",
)
DEFAULT_OUT = ROOT / "graph" / "data" / "gazetteer"

# Trading-status marks around a short name: *ST, ST, S*ST, S, XD, N, C; A/B share classes;
# -W, -U, -UW, -SW (weighted voting, unprofitable) on STAR and Hong Kong listings.
_PREFIX = re.compile(r"^(?:\*?ST|S\*ST|SST|XD|XR|DR|[NCS](?=[\u4e00-\u9fff]))")
_SUFFIX = re.compile(r"(?:-[A-Z]{1,3}|[AB])$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_HEADER = "# {what}\n# Built by scripts/build_gazetteers.py from {source}; see NOTICE.\n"


def clean_short(name: str) -> str:
    """A listing's short name without trading marks: ``*ST国华`` → ``国华``, ``万科A`` → ``万科``."""
    name = re.sub(r"\s+", "", name)
    for _ in range(2):
        name = _SUFFIX.sub("", _PREFIX.sub("", name))
    return name


def _xlsx_rows(path: Path) -> list[list[str]]:
    """Rows of the first sheet of an .xlsx file (inline and shared strings)."""
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(_MAIN + "t")) for si in root]
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(_MAIN + "row"):
        cells: dict[int, str] = {}
        for c in row.iter(_MAIN + "c"):
            col = 0
            for ch in re.match(r"[A-Z]+", c.get("r", "A")).group():
                col = col * 26 + ord(ch) - 64
            if c.get("t") == "inlineStr":
                value = "".join(t.text or "" for t in c.iter(_MAIN + "t"))
            else:
                v = c.find(_MAIN + "v")
                value = "" if v is None else (v.text or "")
                if c.get("t") == "s" and value:
                    value = shared[int(value)]
            cells[col - 1] = value.strip()
        rows.append([cells.get(i, "") for i in range(max(cells, default=-1) + 1)])
    return rows


def _divisions(source: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Code → name for the shipped division table plus NBS 2023's county-level units."""
    shipped = {}
    for line in (ROOT / "graph" / "data" / "adcodes.tsv").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 2 and cells[0].isdigit():
            shipped[cells[0]] = cells[1]
    with (source / "nbs2023_areas.csv").open(encoding="utf-8") as f:
        nbs = {row["code"]: row["name"].strip() for row in csv.DictReader(f)}
    return shipped, nbs


def _city_codes(divisions: dict[str, str]) -> dict[str, str]:
    """Province and prefecture names (full and without 省/市) → code; county names too,
    when one unit has that name (昆山市 → 320583)."""
    out: dict[str, str] = {}
    counties: dict[str, list[str]] = {}
    for code, name in divisions.items():
        if not code.endswith("00"):
            counties.setdefault(name, []).append(code)
    for code, name in sorted(divisions.items()):
        if code.endswith("00"):
            for key in (
                name,
                re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", name),
            ):
                out.setdefault(key, code)
    out.setdefault("内蒙", out.get("内蒙古", ""))
    for name, codes in sorted(counties.items()):
        if len(codes) == 1:
            out.setdefault(name, codes[0])
    return out


def companies(source: Path, places: dict[str, str]) -> list[tuple[str, ...]]:
    data = json.loads((source / "a_share_stock_basic_gostock.json").read_text(encoding="utf-8"))
    fields = data["data"]["fields"]
    rows = [dict(zip(fields, item, strict=True)) for item in data["data"]["items"]]
    szse = _xlsx_rows(source / "szse_a_share_list_2025-08.xlsx")
    head = [re.sub(r"\s+", "", h) for h in szse[0]]
    city_of = {}
    for r in szse[1:]:
        rec = dict(zip(head, r, strict=False))
        city = rec.get("城市", "")
        if rec.get("A股代码") and city:
            city_of[rec["A股代码"].zfill(6)] = city
    out = {}
    for r in rows:
        # A delisting firm's name is cut to fit 退 in (人乐退 for 人人乐): keep the full name only.
        short = "" if "退" in (r["name"] or "") else clean_short(r["name"] or "")
        full = re.sub(r"\s+", "", r["fullname"] or "").replace("(", "（").replace(")", "）")
        if len(short) < 2 and not full:
            continue
        city = city_of.get(r["symbol"], "")
        place = places.get(city) or places.get(r["area"] or "", "")
        out[r["ts_code"]] = (r["ts_code"], normalize_name(short), normalize_name(full), place)
    hk = json.loads((source / "hk_stock_base_info_gostock.json").read_text(encoding="utf-8"))
    a_names = {row[1] for row in out.values()}
    for r in hk:
        short = clean_short(r.get("name") or "")
        # Hong Kong short names only (no full names); skip ones an A-share already uses.
        if len(short) >= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", short) and short not in a_names:
            out[r["code"]] = (r["code"], normalize_name(short), "", "")
    return sorted(out.values())


def universities(source: Path, places: dict[str, str]) -> list[tuple[str, ...]]:
    out = []
    with (source / "moe_universities_2020.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            name, code = row["学校名称"].strip(), row["学校标识码"].strip()
            if name and code.isdigit():
                out.append((code, normalize_name(name), places.get(row["所在地"].strip(), "")))
    return sorted(out)


def towns(source: Path) -> list[tuple[str, ...]]:
    with (source / "nbs2023_streets.csv").open(encoding="utf-8") as f:
        rows = {(r["code"].strip(), normalize_name(r["name"])) for r in csv.DictReader(f)}
    return sorted(r for r in rows if len(r[0]) == 9 and r[0].isdigit() and len(r[1]) >= 2)


def _write(path: Path, what: str, source: str, header: str, rows: list[tuple[str, ...]]) -> None:
    text = _HEADER.format(what=what, source=source) + header + "\n"
    text += "".join("\t".join(row) + "\n" for row in rows)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    print(f"{path}: {len(rows)} rows, {path.stat().st_size // 1024} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.source / "README.md").is_file():
        print(f"error: no gazetteer sources in {args.source}; pass --source DIR", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    shipped, nbs = _divisions(args.source)
    merged = {**nbs, **shipped}
    places = _city_codes(merged)
    _write(
        args.out / "companies.tsv",
        "Listed companies (A-shares, and Hong Kong short names not listed as A-shares).",
        "a_share_stock_basic_gostock.json, szse_a_share_list_2025-08.xlsx, "
        "hk_stock_base_info_gostock.json",
        "code\tshort\tfull\tplace",
        companies(args.source, places),
    )
    _write(
        args.out / "universities.tsv",
        "Regular higher-education institutions (Ministry of Education list, 2020).",
        "moe_universities_2020.csv",
        "code\tname\tcity",
        universities(args.source, places),
    )
    _write(
        args.out / "towns.tsv",
        "Townships, streets and zones below the county (NBS 2023); parent = first 6 digits.",
        "nbs2023_streets.csv",
        "code\tname",
        towns(args.source),
    )
    _write(
        args.out / "counties.tsv",
        "County-level units (NBS 2023) missing from adcodes.tsv.",
        "nbs2023_areas.csv",
        "code\tname",
        sorted((c, n) for c, n in nbs.items() if c not in shipped),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
