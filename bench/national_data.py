"""A synthetic national-scale gazetteer and ledger, for the statistics benchmark.

    python -m bench.national_data [--units 100000] [--activities 20000000] [--years 20]
        [--seed 20250701] [--successions shuffled|tree] [--chunk 200000]
        [--database-url postgres://…/borderlink_bench]
        [--parquet var/bench/national_ledger.parquet | none]

Builds, reproducibly from `--seed`:

- Vietnam's 25 land-border provinces ("Tỉnh Biên 01" …) with districts, communes, villages and
  border-guard stations (under border communes), valid until 30/06/2025;
- the 2025 reform: new provinces from pairs of old ones (the last three merge into one), valid
  from 01/07/2025 (succession `merge`, main); districts abolished (`abolished`, not main, to
  each new commune that received one of their communes); communes merged three into one
  directly under the new provinces (`merge`, main); villages and stations carried over under
  the new communes (`rename`, main);
- the Chinese, Lao and Cambodian counterparts (provinces, prefectures, counties/districts,
  towns/villages/communes);
- `--activities` ledger entries over the `--years` years ending 31/12/2025, in date order as a
  ledger fills, with more entries in later years and fewer at weekends and Tết. Entries before
  01/07/2025 belong to the old units, later ones to the new units; the kind follows the home
  unit's level (stations: letters, talks, phone calls, hand-overs; communes: people-to-people
  events; provinces: political exchanges, delegations, aid, labour, scholarships); the channel
  follows the kind; the diplomacy channel follows the level (people for communes and villages);
  persons for hand-overs, delegations, labour; a value in VND for aid; a quantity for aid given.

Loading: one transaction truncates places_unit, places_unitsuccession, ledger_activity,
stats_tally (and, by CASCADE, everything that references them), writes the units and
successions with COPY (ids and paths computed here; the identity sequences reset after) and
streams the activities with COPY … FREEZE in chunks, with foreign-key triggers off for the
session (`session_replication_role = replica`: the generator writes only ids it created).
Then `borderlink.stats.rollup.rebuild()` and VACUUM ANALYZE. The same activities go to a
Parquet file (via DuckDB) for the reference scan in bench/stats_speed.py.

The successions are written in shuffled order by default, as a gazetteer entered over time
holds them; `--successions tree` writes each province's before its districts', communes' and
villages' (the order the engine's scope resolution finds cheapest, see bench/README-stats.md).
numpy is required (it comes with matplotlib, a dependency of the project).

Small run: `--units 5000 --activities 200000`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import queue
import random
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlparse

if TYPE_CHECKING:
    import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/borderlink_bench"
DEFAULT_PARQUET = "var/bench/national_ledger.parquet"
REFORM = datetime.date(2025, 7, 1)
OLD_END = datetime.date(2025, 6, 30)
LAST_DAY = datetime.date(2025, 12, 31)
NULL = "\\N"


class Validity(TypedDict, total=False):
    """A unit's dates, given to `Gazetteer.add` for the units before or after the reform."""

    valid_from: datetime.date
    valid_to: datetime.date


# Activity kinds (values of ledger.models.ActivityKind), and a short title for each.
KINDS = [
    "meeting",
    "letter",
    "phone_call",
    "political_exchange",
    "unscheduled_exchange",
    "joint_patrol",
    "bilateral_check",
    "handover",
    "information",
    "aid_given",
    "aid_received",
    "cultural_event",
    "sports_event",
    "tourism_event",
    "delegation",
    "scholarship",
    "labour_dispatch",
    "other",
]
K = {kind: i for i, kind in enumerate(KINDS)}
TITLES = {
    "meeting": "Hội đàm",
    "letter": "Thư",
    "phone_call": "Điện thoại",
    "political_exchange": "Giao lưu chính trị",
    "unscheduled_exchange": "Gặp gỡ đột xuất",
    "joint_patrol": "Tuần tra song phương",
    "bilateral_check": "Kiểm tra song phương",
    "handover": "Trao trả công dân",
    "information": "Trao đổi thông tin",
    "aid_given": "Trao tặng",
    "aid_received": "Tiếp nhận hỗ trợ",
    "cultural_event": "Giao lưu văn hóa",
    "sports_event": "Giao lưu thể thao",
    "tourism_event": "Xúc tiến du lịch",
    "delegation": "Đoàn công tác",
    "scholarship": "Học bổng",
    "labour_dispatch": "Đưa lao động",
    "other": "Hoạt động khác",
}

# Home-unit categories and how often each kind of activity is recorded by a unit of that level.
CATS = ["station", "commune", "district", "province", "village"]
KIND_MIX = {
    "station": {
        "letter": 30,
        "meeting": 18,
        "phone_call": 22,
        "handover": 6,
        "joint_patrol": 6,
        "bilateral_check": 4,
        "information": 8,
        "unscheduled_exchange": 4,
        "other": 2,
    },
    "commune": {
        "meeting": 22,
        "letter": 14,
        "phone_call": 10,
        "cultural_event": 14,
        "sports_event": 10,
        "aid_given": 6,
        "aid_received": 6,
        "delegation": 6,
        "information": 4,
        "handover": 2,
        "tourism_event": 3,
        "other": 3,
    },
    "district": {
        "meeting": 25,
        "letter": 18,
        "phone_call": 8,
        "delegation": 12,
        "cultural_event": 8,
        "sports_event": 5,
        "aid_given": 6,
        "aid_received": 6,
        "political_exchange": 4,
        "tourism_event": 4,
        "labour_dispatch": 2,
        "other": 2,
    },
    "province": {
        "meeting": 22,
        "letter": 20,
        "phone_call": 6,
        "political_exchange": 8,
        "delegation": 14,
        "aid_given": 5,
        "aid_received": 5,
        "scholarship": 4,
        "labour_dispatch": 4,
        "tourism_event": 5,
        "cultural_event": 5,
        "other": 2,
    },
    "village": {
        "meeting": 25,
        "cultural_event": 25,
        "sports_event": 15,
        "letter": 10,
        "aid_received": 10,
        "aid_given": 5,
        "other": 10,
    },
}
# Share of entries by home-unit level, before and after the reform (no districts after it).
CAT_SHARE_OLD = {"station": 40, "commune": 28, "district": 12, "province": 10, "village": 10}
CAT_SHARE_NEW = {"station": 42, "commune": 38, "province": 12, "village": 8}
CHANNELS = ["in_person", "online", "phone", "letter", "other"]
DIPLOMACY = ["party", "state", "people"]
DIPLOMACY_MIX = {  # party, state, people
    "station": (0, 97, 3),
    "commune": (5, 25, 70),
    "district": (15, 70, 15),
    "province": (20, 70, 10),
    "village": (0, 10, 90),
}
DIRECTIONS = ["sent", "received", "joint"]
MULTI_DAY = {"delegation", "tourism_event", "cultural_event", "sports_event", "joint_patrol"}


# The gazetteer ----------------------------------------------------------------------------


@dataclass
class Gazetteer:
    rows: list[tuple] = field(default_factory=list)  # places_unit rows, id = index + 1
    paths: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    successions: list[tuple[int, int, str, bool]] = field(default_factory=list)
    # Home units by (era, category): era "old" (until 30/06/2025) or "new" (from 01/07/2025).
    homes: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    group: dict[int, int] = field(default_factory=dict)  # unit id → old province index
    counterparts: list[list[int]] = field(default_factory=list)  # per old province index

    def add(
        self,
        code: str,
        kind: str,
        country: str,
        parent: int | None,
        *,
        vi: str = "",
        en: str = "",
        zh: str = "",
        native_type: str = "",
        official: str = "",
        system: str = "",
        valid_from: datetime.date | None = None,
        valid_to: datetime.date | None = None,
        border: bool = False,
    ) -> int:
        from borderlink.core.text import fold

        uid = len(self.rows) + 1
        path = (self.paths[parent - 1] if parent else "/") + f"{uid}/"
        folded = [fold(p) for p in (vi, en, zh, code, official) if p]
        search = " | ".join(dict.fromkeys(folded + [f.replace(" ", "") for f in folded]))
        self.rows.append(
            (
                uid,
                code,
                kind,
                country,
                path,
                official,
                system,
                native_type,
                vi,
                en,
                zh,
                valid_from,
                valid_to,
                border,
                search,
                parent,
            )
        )
        self.paths.append(path)
        self.kinds.append(kind)
        return uid

    def home(self, era: str, cat: str, uid: int, group: int) -> None:
        self.homes.setdefault((era, cat), []).append(uid)
        self.group[uid] = group


UNIT_COLUMNS = (
    "id",
    "code",
    "kind",
    "country",
    "path",
    "official_code",
    "official_code_system",
    "native_type",
    "name_vi",
    "name_en",
    "name_zh",
    "valid_from",
    "valid_to",
    "is_border",
    "search_text",
    "parent_id",
)


def fanout(units: int) -> tuple[int, int, int, int]:
    """(districts per province, communes per district, villages per commune, stations per
    province) for about `units` units in all (a tenth of them across the border)."""
    scale = max(units / 100_000, 0.002) ** 0.25
    districts = max(2, round(8 * scale))
    communes = max(3, round(12 * scale))
    stations = max(2, round(6 * scale))
    vn_budget = units * 0.9
    old_communes = 25 * districts * communes
    fixed = 1 + 37 + 25 * districts + old_communes * 4 / 3 + 2 * 25 * stations
    villages = max(1, round((vn_budget - fixed) / (2 * old_communes)))
    return districts, communes, villages, stations


def build_gazetteer(units: int, seed: int, shuffle_successions: bool = False) -> Gazetteer:
    rng = random.Random(seed)
    g = Gazetteer()
    n_districts, n_communes, n_villages, n_stations = fanout(units)
    foreign = max(150, units // 10)

    # Across the border first, so counterparts are known when the Vietnamese side is built.
    cn = g.add("CN", "country", "CN", None, zh="中国", en="China", vi="Trung Quốc")
    la = g.add("LA", "country", "LA", None, en="Laos", vi="Lào")
    kh = g.add("KH", "country", "KH", None, en="Cambodia", vi="Campuchia")
    twins: list[list[int]] = []  # counterpart pools: 8 CN prefectures, 10 LA, 9 KH provinces
    cn_leaves = max(1, round((foreign * 0.4 - 42) / 32))
    for p, (adcode, zh, en) in enumerate(
        [("530000", "云南省", "Yunnan Province"), ("450000", "广西壮族自治区", "Guangxi")]
    ):
        prov = g.add(
            f"CN-{adcode}",
            "province",
            "CN",
            cn,
            zh=zh,
            en=en,
            native_type="省",
            official=adcode,
            system="adcode",
        )
        for f in range(4):
            code = f"{adcode[:2]}{f + 21:02d}00"
            pref = g.add(
                f"CN-{code}",
                "prefecture",
                "CN",
                prov,
                zh=f"边州{p + 1}{f + 1}",
                en=f"Border Prefecture {p + 1}-{f + 1}",
                native_type="州",
                official=code,
                system="adcode",
                border=True,
            )
            pool = []
            for c in range(4):
                county_code = f"{code[:4]}{c + 21:02d}"
                county = g.add(
                    f"CN-{county_code}",
                    "district",
                    "CN",
                    pref,
                    zh=f"边县{county_code}",
                    en=f"Border County {county_code}",
                    native_type="县",
                    official=county_code,
                    system="adcode",
                    border=c < 2,
                )
                pool.append(county)
                for t in range(cn_leaves):
                    pool.append(
                        g.add(
                            f"CN-{county_code}-{t + 1:03d}",
                            "commune",
                            "CN",
                            county,
                            zh=f"边镇{county_code}{t + 1:03d}",
                            en=f"Town {county_code}-{t + 1}",
                            native_type="镇",
                            border=t < 2,
                        )
                    )
            twins.append(pool)
    for country, root, n_prov, share, label, mid, leaf in (
        ("LA", la, 10, 0.3, "Lào", "Muang", "Ban"),
        ("KH", kh, 9, 0.3, "Campuchia", "Srok", "Khum"),
    ):
        n_mid = 3
        n_leaf = max(1, round((foreign * share - n_prov * (1 + n_mid)) / (n_prov * n_mid)))
        for p in range(n_prov):
            prov = g.add(
                f"{country}-P{p + 1:02d}",
                "province",
                country,
                root,
                vi=f"Tỉnh {label} {p + 1:02d}",
                en=f"{country} Province {p + 1:02d}",
                native_type="Khoueng" if country == "LA" else "Khaet",
                border=True,
            )
            pool = []
            for m in range(n_mid):
                mid_unit = g.add(
                    f"{country}-P{p + 1:02d}-D{m + 1}",
                    "district",
                    country,
                    prov,
                    vi=f"Huyện {label} {p + 1:02d}-{m + 1}",
                    en=f"{mid} {p + 1:02d}-{m + 1}",
                    native_type=mid,
                    border=m < 2,
                )
                pool.append(mid_unit)
                for v in range(n_leaf):
                    pool.append(
                        g.add(
                            f"{country}-P{p + 1:02d}-D{m + 1}-{v + 1:03d}",
                            "village" if country == "LA" else "commune",
                            country,
                            mid_unit,
                            vi=f"{'Bản' if country == 'LA' else 'Xã'} {label} "
                            f"{p + 1:02d}-{m + 1}-{v + 1}",
                            en=f"{leaf} {p + 1:02d}-{m + 1}-{v + 1}",
                            native_type=leaf,
                        )
                    )
            twins.append(pool)
    # 7 Vietnamese provinces face China, 9 face Laos, 9 face Cambodia.
    g.counterparts = [twins[i] for i in range(7)] + [twins[8 + i] for i in range(9)]
    g.counterparts += [twins[18 + i] for i in range(9)]

    # Vietnam before the reform.
    vn = g.add("VN", "country", "VN", None, vi="Việt Nam", en="Vietnam", zh="越南")
    old: Validity = {"valid_to": OLD_END}
    new: Validity = {"valid_from": REFORM}
    old_provinces: list[int] = []
    communes_of: list[list[tuple[int, int]]] = []  # per old province: (commune, district)
    villages_of: dict[int, list[int]] = {}
    stations_of: dict[int, list[int]] = {}
    border_communes: set[int] = set()
    d_no = c_no = v_no = s_no = 0
    for p in range(25):
        prov = g.add(
            f"VN-P{p + 1:02d}",
            "province",
            "VN",
            vn,
            vi=f"Tỉnh Biên {p + 1:02d}",
            en=f"Bien {p + 1:02d} Province",
            native_type="Tỉnh",
            official=f"{p + 1:02d}",
            system="gso",
            border=True,
            **old,
        )
        old_provinces.append(prov)
        g.home("old", "province", prov, p)
        mine: list[tuple[int, int]] = []
        for d in range(n_districts):
            d_no += 1
            dist = g.add(
                f"VN-D{d_no:03d}",
                "district",
                "VN",
                prov,
                vi=f"Huyện Biên {p + 1:02d}-{d + 1:02d}",
                en=f"Bien {p + 1:02d}-{d + 1:02d} District",
                native_type="Huyện",
                official=f"{d_no:03d}",
                system="gso",
                border=d < max(1, round(n_districts * 0.6)),
                **old,
            )
            g.home("old", "district", dist, p)
            for _c in range(n_communes):
                c_no += 1
                is_border = rng.random() < 0.3
                com = g.add(
                    f"VN-C{c_no:05d}",
                    "commune",
                    "VN",
                    dist,
                    vi=f"Xã Biên {c_no:05d}",
                    en=f"Bien {c_no:05d} Commune",
                    native_type="Xã",
                    official=f"{c_no:05d}",
                    system="gso",
                    border=is_border,
                    **old,
                )
                if is_border:
                    border_communes.add(com)
                g.home("old", "commune", com, p)
                mine.append((com, dist))
                villages_of[com] = []
                for _v in range(n_villages):
                    v_no += 1
                    vil = g.add(
                        f"VN-V{v_no:06d}",
                        "village",
                        "VN",
                        com,
                        vi=f"Thôn {v_no:06d}",
                        en=f"Village {v_no:06d}",
                        native_type="Thôn",
                        **old,
                    )
                    villages_of[com].append(vil)
                    g.home("old", "village", vil, p)
        communes_of.append(mine)
        candidates = [c for c, _d in mine if c in border_communes] or [c for c, _d in mine]
        for _s in range(n_stations):
            s_no += 1
            com = rng.choice(candidates)
            sta = g.add(
                f"VN-S{s_no:03d}",
                "border_station",
                "VN",
                com,
                vi=f"Đồn Biên phòng {s_no:03d}",
                en=f"Border-Guard Station {s_no:03d}",
                native_type="Đồn Biên phòng",
                border=True,
                **old,
            )
            stations_of.setdefault(com, []).append(sta)
            g.home("old", "station", sta, p)

    # The reform: new provinces from pairs (the last three together).
    groups = [[i, i + 1] for i in range(0, 22, 2)] + [[22, 23, 24]]
    nc_no = 0
    for n, members in enumerate(groups):
        first = members[0]
        nprov = g.add(
            f"VN-P{first + 1:02d}-2025",
            "province",
            "VN",
            vn,
            vi=f"Tỉnh Biên Mới {n + 1:02d}",
            en=f"New Bien {n + 1:02d} Province",
            native_type="Tỉnh",
            official=f"{first + 1:02d}",
            system="gso",
            border=True,
            **new,
        )
        g.home("new", "province", nprov, first)
        for p in members:
            g.successions.append((old_provinces[p], nprov, "merge", True))
            mine = communes_of[p]
            chunks = [mine[i : i + 3] for i in range(0, len(mine), 3)]
            if len(chunks) > 1 and len(chunks[-1]) == 1:
                tail = chunks.pop()
                chunks[-1] = chunks[-1] + tail
            for chunk in chunks:
                nc_no += 1
                ncom = g.add(
                    f"VN-C{nc_no:05d}-2025",
                    "commune",
                    "VN",
                    nprov,
                    vi=f"Xã Biên Mới {nc_no:05d}",
                    en=f"New Bien {nc_no:05d} Commune",
                    native_type="Xã",
                    official=f"{90000 + nc_no:05d}",
                    system="gso",
                    border=any(c in border_communes for c, _d in chunk),
                    **new,
                )
                g.home("new", "commune", ncom, p)
                for dist in dict.fromkeys(d for _c, d in chunk):
                    g.successions.append((dist, ncom, "abolished", False))
                for com, _d in chunk:
                    g.successions.append((com, ncom, "merge", True))
                    for vil in villages_of[com]:
                        nvil = g.add(
                            g.rows[vil - 1][1] + "-2025",
                            "village",
                            "VN",
                            ncom,
                            vi=g.rows[vil - 1][8],
                            en=g.rows[vil - 1][9],
                            native_type="Thôn",
                            **new,
                        )
                        g.successions.append((vil, nvil, "rename", True))
                        g.home("new", "village", nvil, p)
                    for sta in stations_of.get(com, []):
                        nsta = g.add(
                            g.rows[sta - 1][1] + "-2025",
                            "border_station",
                            "VN",
                            ncom,
                            vi=g.rows[sta - 1][8],
                            en=g.rows[sta - 1][9],
                            native_type="Đồn Biên phòng",
                            border=True,
                            **new,
                        )
                        g.successions.append((sta, nsta, "rename", True))
                        g.home("new", "station", nsta, p)
    if shuffle_successions:
        rng.shuffle(g.successions)
    return g


# Loading ----------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _text(value: object) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def copy_units(cur: psycopg.Cursor[Any], g: Gazetteer, stamp: str) -> None:
    cols: tuple[str, ...] = (
        *UNIT_COLUMNS,
        "created_at",
        "updated_at",
        "name_zh_pinyin",
        "name_sources",
        "note",
    )
    with cur.copy(f"COPY places_unit ({', '.join(cols)}) FROM STDIN WITH (FREEZE)") as copy:
        buf = []
        for row in g.rows:
            buf.append("\t".join(_text(v) for v in row) + f"\t{stamp}\t{stamp}\t\t{{}}\t\n")
            if len(buf) >= 10_000:
                copy.write("".join(buf))
                buf = []
        copy.write("".join(buf))
    cols = ("predecessor_id", "successor_id", "kind", "is_main", "effective")
    cols += ("created_at", "updated_at", "note")
    sql = f"COPY places_unitsuccession ({', '.join(cols)}) FROM STDIN WITH (FREEZE)"
    with cur.copy(sql) as copy:
        for pred, succ, kind, main in g.successions:
            copy.write(
                f"{pred}\t{succ}\t{kind}\t{'t' if main else 'f'}\t{REFORM}\t{stamp}\t{stamp}\t\n"
            )


ACTIVITY_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "source_quote",
    "kind",
    "occurred_on",
    "ended_on",
    "title",
    "channel",
    "diplomacy",
    "direction",
    "sensitivity",
    "count",
    "persons",
    "value",
    "currency",
    "quantity",
    "quantity_unit",
    "outcomes",
    "counterpart_id",
    "home_unit_id",
)


class ActivityMaker:
    """Chunks of activities as numpy columns, and their COPY text."""

    def __init__(self, g: Gazetteer, total: int, years: int, seed: int):
        import numpy as np

        self.np = np
        self.rng = np.random.default_rng(seed)
        self.g = g
        self.total = total
        self.first = datetime.date(LAST_DAY.year - years + 1, 1, 1)
        n_days = (LAST_DAY - self.first).days + 1
        days = [self.first + datetime.timedelta(days=i) for i in range(n_days)]
        self.day_text = np.array([d.isoformat() for d in days] + [NULL], dtype=object)
        self.reform = (REFORM - self.first).days
        # More entries in later years, fewer at weekends and around Tết (late Jan, early Feb).
        t = np.arange(n_days) / n_days
        weights = 1 + 2.0 * t
        weights *= np.array([0.35 if d.weekday() >= 5 else 1.0 for d in days])
        weights *= np.array([0.5 if 20 <= d.timetuple().tm_yday <= 45 else 1.0 for d in days])
        self.per_day = self.rng.multinomial(total, weights / weights.sum())
        # Home units: a per-unit activity level (a few units far busier than most).
        self.pools: dict[tuple[str, str], tuple[object, object]] = {}
        for key, ids in g.homes.items():
            level = self.rng.lognormal(0.0, 0.9, len(ids))
            cum = np.cumsum(level)
            self.pools[key] = (np.array(ids, dtype=np.int64), cum / cum[-1])
        self.shares = {
            era: (list(mix), np.array(list(mix.values()), dtype=float) / sum(mix.values()))
            for era, mix in (("old", CAT_SHARE_OLD), ("new", CAT_SHARE_NEW))
        }
        self.kind_p = {
            cat: np.array([mix.get(k, 0) for k in KINDS], dtype=float) / sum(mix.values())
            for cat, mix in KIND_MIX.items()
        }
        n_units = len(g.rows) + 1
        self.group = np.zeros(n_units, dtype=np.int64)
        for uid, grp in g.group.items():
            self.group[uid] = grp
        flat: list[int] = []
        offsets, sizes = [], []
        for pool in g.counterparts:
            offsets.append(len(flat))
            sizes.append(len(pool))
            flat += pool
        self.cp_flat = np.array(flat, dtype=np.int64)
        self.cp_off = np.array(offsets, dtype=np.int64)
        self.cp_len = np.array(sizes, dtype=np.int64)
        self.paths = np.array(["", *g.paths], dtype=object)
        self.kind_text = np.array(KINDS, dtype=object)
        self.title_text = np.array([TITLES[k] for k in KINDS], dtype=object)
        self.channel_text = np.array(CHANNELS, dtype=object)
        self.diplomacy_text = np.array(DIPLOMACY, dtype=object)
        self.direction_text = np.array(DIRECTIONS, dtype=object)
        self.small_int = np.array([str(i) for i in range(100_000)] + [NULL], dtype=object)
        self.next_id = 1

    def chunks(self, size: int) -> Iterator[tuple[int, int, int]]:
        """Day ranges of about `size` entries each, in date order."""
        start, acc = 0, 0
        for day, n in enumerate(self.per_day.tolist()):
            acc += n
            if acc >= size:
                yield start, day + 1, acc
                start, acc = day + 1, 0
        if acc:
            yield start, len(self.per_day), acc

    def make(self, day_from: int, day_to: int) -> dict[str, Any]:
        np, rng = self.np, self.rng
        days = np.repeat(np.arange(day_from, day_to), self.per_day[day_from:day_to])
        n = len(days)
        home = np.zeros(n, dtype=np.int64)
        cat = np.zeros(n, dtype=np.int64)
        for era, mask in (("old", days < self.reform), ("new", days >= self.reform)):
            idx = np.flatnonzero(mask)
            if not len(idx):
                continue
            names, share = self.shares[era]
            picks = rng.choice(len(names), size=len(idx), p=share)
            for j, name in enumerate(names):
                sub = idx[picks == j]
                ids, cum = self.pools[(era, name)]
                home[sub] = ids[np.searchsorted(cum, rng.random(len(sub)), side="right")]  # type: ignore[index]
                cat[sub] = CATS.index(name)
        kind = np.zeros(n, dtype=np.int64)
        diplomacy = np.zeros(n, dtype=np.int64)
        for c, name in enumerate(CATS):
            sub = np.flatnonzero(cat == c)
            kind[sub] = rng.choice(len(KINDS), size=len(sub), p=self.kind_p[name])
            mix = np.array(DIPLOMACY_MIX[name], dtype=float)
            diplomacy[sub] = rng.choice(3, size=len(sub), p=mix / mix.sum())
        diplomacy[kind == K["political_exchange"]] = 0
        # The channel follows the kind.
        channel = rng.choice(5, size=n, p=[0.9, 0.07, 0, 0, 0.03])
        channel[kind == K["letter"]] = 3
        channel[kind == K["phone_call"]] = 2
        info = np.flatnonzero(kind == K["information"])
        channel[info] = rng.choice(5, size=len(info), p=[0.1, 0.2, 0.45, 0.25, 0])
        direction = rng.integers(0, 3, n)
        remote = (kind == K["letter"]) | (kind == K["phone_call"])
        direction[remote] = rng.integers(0, 2, int(remote.sum()))
        sensitivity = rng.choice(4, size=n, p=[0.15, 0.75, 0.09, 0.01])
        count = np.where(rng.random(n) < 0.85, 1, 2 + rng.geometric(0.5, n)).clip(1, 20)
        persons = np.full(n, -1, dtype=np.int64)
        for name, low, mean in (
            ("handover", 1, 4),
            ("delegation", 3, 8),
            ("labour_dispatch", 5, 40),
        ):
            sub = np.flatnonzero(kind == K[name])
            persons[sub] = low + rng.geometric(1 / mean, len(sub)) - 1
        value = np.full(n, -1, dtype=np.int64)
        aid = np.flatnonzero((kind == K["aid_given"]) | (kind == K["aid_received"]))
        value[aid] = (rng.lognormal(19.0, 1.0, len(aid)) // 1000 * 1000).astype(np.int64)
        quantity = np.full(n, -1, dtype=np.int64)
        given = np.flatnonzero((kind == K["aid_given"]) & (rng.random(n) < 0.5))
        quantity[given] = rng.integers(10, 5000, len(given))
        no_end = len(self.day_text) - 1  # the index of NULL
        ended = np.full(n, no_end, dtype=np.int64)
        multi = np.isin(kind, [K[k] for k in MULTI_DAY]) & (rng.random(n) < 0.3)
        ended[multi] = np.minimum(days[multi] + rng.integers(1, 4, int(multi.sum())), no_end - 1)
        grp = self.group[home]
        has_cp = rng.random(n) < 0.9
        counterpart = self.cp_flat[
            self.cp_off[grp] + rng.integers(0, 1 << 30, n) % self.cp_len[grp]
        ]
        counterpart = np.where(has_cp, counterpart, -1)
        ids = np.arange(self.next_id, self.next_id + n, dtype=np.int64)
        self.next_id += n
        return {
            "id": ids,
            "home_unit_id": home,
            "days": days,
            "ended": ended,
            "kind": kind,
            "channel": channel,
            "diplomacy": diplomacy,
            "direction": direction,
            "sensitivity": sensitivity,
            "count": count,
            "persons": persons,
            "value": value,
            "quantity": quantity,
            "counterpart_id": counterpart,
        }

    def copy_text(self, c: dict[str, Any]) -> str:
        np = self.np
        null = len(self.small_int) - 1
        day = self.day_text[c["days"]].tolist()
        ended = self.day_text[c["ended"]].tolist()
        kind = self.kind_text[c["kind"]].tolist()
        title = self.title_text[c["kind"]].tolist()
        channel = self.channel_text[c["channel"]].tolist()
        diplomacy = self.diplomacy_text[c["diplomacy"]].tolist()
        direction = self.direction_text[c["direction"]].tolist()
        persons = self.small_int[np.where(c["persons"] < 0, null, c["persons"])].tolist()
        count = self.small_int[c["count"]].tolist()
        sens = self.small_int[c["sensitivity"]].tolist()
        value = np.full(len(day), NULL, dtype=object)
        has_value = c["value"] >= 0
        value[has_value] = [f"{v}.00" for v in c["value"][has_value].tolist()]
        currency = np.where(has_value, "VND", "").astype(object).tolist()
        has_qty = c["quantity"] >= 0
        quantity = np.full(len(day), NULL, dtype=object)
        quantity[has_qty] = [f"{v}.00" for v in c["quantity"][has_qty].tolist()]
        qty_unit = np.where(has_qty, "chiếc", "").astype(object).tolist()
        cp = c["counterpart_id"]
        cp_text = np.full(len(day), NULL, dtype=object)
        cp_text[cp >= 0] = cp[cp >= 0].astype(str).astype(object)
        lines = [
            f"{i}\t{d} 09:00:00+07\t{d} 09:00:00+07\t\t{k}\t{d}\t{e}\t{t} #{i}\t{ch}\t{dp}\t"
            f"{dr}\t{s}\t{n}\t{p}\t{v}\t{cu}\t{q}\t{qu}\t\t{o}\t{h}\n"
            for i, d, e, k, t, ch, dp, dr, s, n, p, v, cu, q, qu, o, h in zip(
                c["id"].tolist(),
                day,
                ended,
                kind,
                title,
                channel,
                diplomacy,
                direction,
                sens,
                count,
                persons,
                value.tolist(),
                currency,
                quantity.tolist(),
                qty_unit,
                cp_text.tolist(),
                c["home_unit_id"].tolist(),
                strict=True,
            )
        ]
        return "".join(lines)

    def columns(self, c: dict[str, Any]) -> dict[str, object]:
        """The chunk as columns for DuckDB (nulls as -1, decoded in SQL)."""
        np = self.np
        return {
            "id": c["id"],
            "home_unit_id": c["home_unit_id"],
            "path": self.paths[c["home_unit_id"]],
            "kind": self.kind_text[c["kind"]],
            "day": c["days"].astype(np.int32),
            "channel": self.channel_text[c["channel"]],
            "diplomacy": self.diplomacy_text[c["diplomacy"]],
            "direction": self.direction_text[c["direction"]],
            "sensitivity": c["sensitivity"].astype(np.int16),
            "count": c["count"].astype(np.int32),
            "persons": c["persons"],
            "value": c["value"],
            "quantity": c["quantity"],
            "counterpart_id": c["counterpart_id"],
        }


PARQUET_SELECT = """
SELECT id, home_unit_id, path, kind, (DATE '{first}' + day)::DATE AS occurred_on, channel,
       diplomacy, direction, sensitivity, count,
       CASE WHEN persons < 0 THEN NULL ELSE persons::INTEGER END AS persons,
       CASE WHEN value < 0 THEN NULL ELSE value::DECIMAL(20, 2) END AS value,
       CASE WHEN value < 0 THEN '' ELSE 'VND' END AS currency,
       CASE WHEN quantity < 0 THEN NULL ELSE quantity::DECIMAL(16, 2) END AS quantity,
       CASE WHEN counterpart_id < 0 THEN NULL ELSE counterpart_id END AS counterpart_id
FROM chunk
"""


class ParquetSink:
    """Appends chunks to an in-memory DuckDB table and writes it out as Parquet at the end."""

    def __init__(self, path: Path, first: datetime.date):
        import duckdb

        self.path = path
        self.first = first
        self.con = duckdb.connect()
        self.con.execute("SET preserve_insertion_order = true")
        self.created = False

    def append(self, chunk: dict[str, object]) -> None:
        sql = PARQUET_SELECT.format(first=self.first.isoformat())
        con = self.con
        con.register("chunk", chunk)
        if self.created:
            con.execute(f"INSERT INTO ledger {sql}")
        else:
            con.execute(f"CREATE TABLE ledger AS {sql}")
            self.created = True
        con.unregister("chunk")

    def close(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.parquet")
        self.con.execute(
            f"COPY ledger TO '{tmp}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)"
        )
        tmp.replace(self.path)
        (n,) = self.con.execute("SELECT count(*) FROM ledger").fetchall()[0]
        self.con.close()
        return int(n)


class Writer:
    """Feeds COPY from a thread, one chunk behind the generator (at most two chunks held)."""

    def __init__(self, copy: psycopg.Copy):
        self.copy = copy
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self.done = 0
        self.error: BaseException | None = None
        self.sizes: queue.Queue[int] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while (data := self.queue.get()) is not None:
                self.copy.write(data)
                self.done += self.sizes.get()
        except BaseException as exc:  # re-raised in the generating thread
            self.error = exc

    def put(self, data: bytes | None, rows: int) -> None:  # None ends the COPY
        self.sizes.put(rows)
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.queue.put(data, timeout=1)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        self.put(None, 0)
        self.thread.join()
        if self.error is not None:
            raise self.error


def load(args: argparse.Namespace) -> None:
    import psycopg

    t0 = time.perf_counter()
    g = build_gazetteer(args.units, args.seed, args.successions == "shuffled")
    d, c, v, s = fanout(args.units)
    n_homes = {f"{era} {cat}": len(ids) for (era, cat), ids in sorted(g.homes.items())}
    print(
        f"gazetteer: {len(g.rows):,} units ({d} districts/province, {c} communes/district, "
        f"{v} villages/commune, {s} stations/province), {len(g.successions):,} successions "
        f"[{time.perf_counter() - t0:.1f} s]"
    )
    print("  home units: " + ", ".join(f"{k} {n:,}" for k, n in n_homes.items()))
    maker = ActivityMaker(g, args.activities, args.years, args.seed)
    sink = ParquetSink(Path(args.parquet), maker.first) if args.parquet != "none" else None
    stamp = datetime.datetime.now(datetime.UTC).isoformat(sep=" ", timespec="seconds")

    with psycopg.connect(args.database_url) as conn, conn.cursor() as cur:
        try:
            cur.execute("SET session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            conn.rollback()
            print("  (not a superuser: foreign keys are checked at commit)")
        cur.execute(
            "TRUNCATE ledger_activity, stats_tally, places_unitsuccession, places_unit CASCADE"
        )
        t1 = time.perf_counter()
        copy_units(cur, g, stamp)
        t_units = time.perf_counter() - t1
        print(f"units: {len(g.rows):,} + {len(g.successions):,} successions in {t_units:.1f} s")

        t2 = time.perf_counter()
        cols = ", ".join(ACTIVITY_COLUMNS)
        t_gen = 0.0
        last_report = t2
        with cur.copy(f"COPY ledger_activity ({cols}) FROM STDIN WITH (FREEZE)") as copy:
            writer = Writer(copy)
            for day_from, day_to, _n in maker.chunks(args.chunk):
                g0 = time.perf_counter()
                chunk = maker.make(day_from, day_to)
                data = maker.copy_text(chunk).encode()
                if sink is not None:
                    sink.append(maker.columns(chunk))
                t_gen += time.perf_counter() - g0
                writer.put(data, len(chunk["id"]))
                now = time.perf_counter()
                if now - last_report >= 15:
                    last_report = now
                    print(
                        f"  activities: {writer.done:>12,} / {args.activities:,} written  "
                        f"{writer.done / (now - t2):>9,.0f} rows/s",
                        flush=True,
                    )
            writer.close()
        done = writer.done
        t_acts = time.perf_counter() - t2
        for table in ("places_unit", "places_unitsuccession", "ledger_activity", "stats_tally"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        conn.commit()
        t_commit = time.perf_counter() - t2
    print(
        f"activities: {done:,} in {t_acts:.1f} s ({done / t_acts:,.0f} rows/s), "
        f"committed after {t_commit:.1f} s ({done / t_commit:,.0f} rows/s); generating them "
        f"alone took {t_gen:.1f} s ({done / max(t_gen, 1e-9):,.0f} rows/s)"
    )

    from django.db import connection

    from borderlink.stats import rollup

    t3 = time.perf_counter()
    tally_rows = rollup.rebuild()
    t_rollup = time.perf_counter() - t3
    print(f"rollup rebuild: {tally_rows:,} tally rows in {t_rollup:.1f} s")
    t4 = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    old_autocommit = raw.autocommit
    raw.autocommit = True
    with raw.cursor() as c:
        for table in ("places_unit", "places_unitsuccession", "ledger_activity", "stats_tally"):
            c.execute(f"VACUUM (ANALYZE) {table}")
    raw.autocommit = old_autocommit
    t_analyze = time.perf_counter() - t4
    print(f"vacuum analyze: {t_analyze:.1f} s")
    t_parquet = 0.0
    if sink is not None:
        t5 = time.perf_counter()
        written = sink.close()
        t_parquet = time.perf_counter() - t5
        size = Path(args.parquet).stat().st_size / 1e6
        print(f"parquet: {written:,} rows, {size:,.1f} MB → {args.parquet} in {t_parquet:.1f} s")
    print(
        f"total: units {t_units:.1f} s, activities {t_commit:.1f} s, rollup {t_rollup:.1f} s, "
        f"analyze {t_analyze:.1f} s, parquet {t_parquet:.1f} s; "
        f"wall {time.perf_counter() - t0:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=20_000_000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=200_000, help="activities per chunk")
    parser.add_argument(
        "--successions",
        choices=["tree", "shuffled"],
        default="shuffled",
        help="row order of the successions: shuffled (as entered in no particular order, the "
        "default) or tree order (each province before its districts, communes and villages)",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument(
        "--parquet", default=DEFAULT_PARQUET, help="where the ledger goes for DuckDB ('none': skip)"
    )
    args = parser.parse_args()
    if args.years < 1 or args.activities < 0:
        parser.error("--years must be at least 1 and --activities not negative")
    try:
        import numpy  # noqa: F401
    except ImportError:  # matplotlib, a dependency of the project, requires numpy
        print("bench.national_data needs numpy (installed with matplotlib)", file=sys.stderr)
        return 1
    if args.database_url.startswith("postgres"):
        ensure_database(args.database_url)
    else:
        parser.error("the national dataset is loaded into PostgreSQL only")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
