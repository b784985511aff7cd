"""What the demo's sample ledger holds: invented, plausible entries, computed without a database.

The seeds end on 30/06/2021; a demo whose ledger holds one activity shows only declared returns.
This plan invents the ledger that the demo's units would have kept since, so that dashboards,
trends and maps have records to count. Nothing here is a fact: `sample.py` writes every entry
with the synthetic source, internal sensitivity, and the marks that say so.

- Who records: the posts in POSTS, each with its unit before and after the reform of 01/07/2025
  (declared once here; `sample.py` skips a unit the gazetteer lacks and says so).
- Volumes per month (RATES) follow a border-gate station's log: letters several a week, talks a
  few a month, calls, a bilateral check every month, hand-overs of citizens with their persons;
  communes hold friendship events, exchange flood warnings; the province meets its partners a
  few times a year.
- Seasons: fewer entries around Tết, more meetings in the spring after it (the New-Year
  meetings), flood warnings in the rainy season; COVID-19 restrictions (strict in the second
  half of 2021, easing through 2022, lifted when China reopened on 08/01/2023) lower in-person
  kinds and raise letters and calls.
- Reproducible: each (post, month) draws from its own generator seeded by (seed, post, month),
  and letters are numbered in order through the year, so the same seed gives the same rows and a
  later `until` only adds the days since.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SEED = 20210701
START = datetime.date(2021, 7, 1)  # the day after the last seed period ends (30/06/2021)
REFORM = datetime.date(2025, 7, 1)

STATION, COMMUNE, PROVINCE = "station", "commune", "province"


@dataclass(frozen=True)
class Post:
    """A unit of ours that records, before and after the reform, and who it deals with."""

    key: str  # names the post in the seed, so the rows do not depend on unit codes
    role: str
    before: str
    after: str
    name_before: str  # as titles name it
    name_after: str


# Every unit the sample ledger writes for, in one place. The counterparts are the other side of
# the demo's partnerships (demo/data/cooperation.yaml); the province also meets Wenshan through
# the periodic secretaries' talks (a mechanism, not a partnership).
POSTS: tuple[Post, ...] = (
    Post(
        "thanhthuy-station",
        STATION,
        "VN-02-BGS-THANHTHUY",
        "VN-02-BGS-THANHTHUY-2025",
        "Đồn BP CKQT Thanh Thủy",
        "Đồn BP CKQT Thanh Thủy",
    ),
    Post("thanhthuy", COMMUNE, "VN-C00928", "VN-C00928-2025", "xã Thanh Thủy", "xã Thanh Thủy"),
    Post("minhtan", COMMUNE, "VN-C00919", "VN-C00919-2025", "xã Minh Tân", "xã Minh Tân"),
    Post("thanhduc", COMMUNE, "VN-C00931", "VN-C00937-2025", "xã Thanh Đức", "xã Lao Chải"),
    Post("province", PROVINCE, "VN-P02", "VN-P08-2025", "tỉnh Hà Giang", "tỉnh Tuyên Quang"),
)

TIANBAO_STATION = "CN-532624-BGS-TIANBAO"
TIANBAO_TOWN = "CN-532624-TIANBAO"
YUNNAN, GUANGXI, WENSHAN = "CN-530000", "CN-450000", "CN-532600"
THEIR_NAMES = {
    TIANBAO_STATION: "Trạm KSBP Thiên Bảo",
    TIANBAO_TOWN: "thị trấn Thiên Bảo",
    YUNNAN: "tỉnh Vân Nam",
    GUANGXI: "Khu tự trị dân tộc Choang Quảng Tây",
    WENSHAN: "châu Văn Sơn",
}

# Mean entries per month in ordinary times (no restrictions, no Tết): (kind, mean). The
# station's letters are split between sent and received.
RATES: dict[str, tuple[tuple[str, float], ...]] = {
    STATION: (
        ("letter", 13.0),
        ("meeting", 3.0),
        ("phone_call", 2.0),
        ("handover", 3.0),
        ("unscheduled_exchange", 0.9),
        ("joint_patrol", 0.5),
    ),
    COMMUNE: (
        ("meeting", 0.35),
        ("information", 0.3),
        ("cultural_event", 0.12),
        ("sports_event", 0.15),
    ),
    PROVINCE: (
        ("letter", 2.0),
        ("information", 0.6),
        ("meeting", 0.25),
        ("tourism_event", 0.08),
        ("cultural_event", 0.08),
    ),
}
IN_PERSON = frozenset(
    {
        "meeting",
        "handover",
        "unscheduled_exchange",
        "joint_patrol",
        "bilateral_check",
        "political_exchange",
        "cultural_event",
        "sports_event",
        "tourism_event",
    }
)

# Tết (the first day of the lunar year) and the year's name, for the seasons and the greetings.
TET = {
    2022: (datetime.date(2022, 2, 1), "Nhâm Dần"),
    2023: (datetime.date(2023, 1, 22), "Quý Mão"),
    2024: (datetime.date(2024, 2, 10), "Giáp Thìn"),
    2025: (datetime.date(2025, 1, 29), "Ất Tỵ"),
    2026: (datetime.date(2026, 2, 17), "Bính Ngọ"),
    2027: (datetime.date(2027, 2, 6), "Đinh Mùi"),
    2028: (datetime.date(2028, 1, 26), "Mậu Thân"),
}
RAINY_MONTHS = frozenset({6, 7, 8, 9})


@dataclass(frozen=True)
class Entry:
    """One invented ledger entry, by codes (sample.py resolves them)."""

    unit: str
    kind: str
    day: datetime.date
    title: str
    counterpart: str
    channel: str
    diplomacy: str
    direction: str
    count: int = 1
    persons: int | None = None
    quantity: Decimal | None = None
    quantity_unit: str = ""
    mechanism: str = ""

    @property
    def key(self) -> tuple[str, str, datetime.date, str]:
        return (self.unit, self.kind, self.day, self.title)


def restrictions(day: datetime.date) -> float:
    """How strict the COVID-19 border restrictions were (1 closed to visits, 0 none)."""
    if day < datetime.date(2022, 1, 1):
        return 1.0
    if day < datetime.date(2022, 7, 1):
        return 0.7
    if day < datetime.date(2023, 1, 8):
        return 0.4
    return 0.0


def _factor(kind: str, covid: float) -> float:
    if kind in IN_PERSON:
        return 1 - 0.7 * covid
    if kind in ("letter", "phone_call", "information"):
        return 1 + 0.6 * covid
    return 1.0


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: the means here are small."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _month_days(year: int, month: int) -> list[datetime.date]:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return [first + datetime.timedelta(days=i) for i in range((following - first).days)]


def _weight(day: datetime.date) -> float:
    """How likely a day is to hold an entry: working days, hardly any over the Tết holiday."""
    tet = TET.get(day.year, (None, ""))[0]
    if tet is not None and -2 <= (day - tet).days <= 4:
        return 0.03
    return {5: 0.35, 6: 0.1}.get(day.weekday(), 1.0)


def _pick_days(
    rng: random.Random, days: list[datetime.date], n: int, distinct: bool = True
) -> list[datetime.date]:
    weights = [_weight(d) for d in days]
    if not distinct:
        return sorted(rng.choices(days, weights=weights, k=n))
    chosen: list[datetime.date] = []
    pool, pool_weights = list(days), list(weights)
    for _ in range(min(n, len(pool))):
        day = rng.choices(pool, weights=pool_weights)[0]
        index = pool.index(day)
        pool.pop(index)
        pool_weights.pop(index)
        chosen.append(day)
    return sorted(chosen)


def _tet_month(year: int, month: int) -> tuple[datetime.date, str] | None:
    found = TET.get(year)
    return found if found and found[0].month == month else None


def _spring(year: int, month: int) -> bool:
    """The month of the New-Year meetings: the one three weeks after Tết falls in."""
    found = TET.get(year)
    return found is not None and (found[0] + datetime.timedelta(days=21)).month == month


# Titles as a station, a commune or the province writes them --------------------------------

LETTER_SENT = (
    "thông báo tình hình an ninh, trật tự khu vực biên giới",
    "đề nghị phối hợp xác minh nhân thân công dân",
    "thông báo kế hoạch kiểm tra song phương",
    "đề nghị phối hợp trao trả công dân",
    "trao đổi về công tác quản lý xuất nhập cảnh tại cửa khẩu",
    "đề nghị phối hợp đấu tranh phòng, chống buôn lậu qua biên giới",
    "đề nghị phối hợp phòng, chống tội phạm ma túy",
    "thông báo lịch hội đàm định kỳ",
    "trao đổi thông tin về người xuất cảnh trái phép",
)
LETTER_RECEIVED = (
    "thông báo tình hình an ninh khu vực biên giới phía Trung Quốc",
    "đề nghị phối hợp xác minh công dân Việt Nam",
    "thông báo trao trả công dân",
    "đề nghị trao đổi thông tin về hoạt động xuất nhập cảnh",
    "phúc đáp đề nghị phối hợp của Đồn",
    "thông báo lịch hội đàm",
)
LETTER_COVID_SENT = (
    "phối hợp phòng, chống dịch COVID-19 tại khu vực cửa khẩu",
    "đề nghị phối hợp quản lý chặt chẽ đường mòn, lối mở trong thời gian dịch COVID-19",
)
LETTER_COVID_RECEIVED = (
    "thông báo biện pháp phòng, chống dịch COVID-19 phía Trung Quốc",
    "thông báo tạm dừng thông quan hành khách qua cửa khẩu",
)
TALKS = (
    "công tác quản lý, bảo vệ biên giới",
    "phối hợp quản lý cửa khẩu",
    "kết quả thực hiện Chương trình “Đồn Biên phòng kết nghĩa – biên giới hòa bình”",
    "trao trả công dân xuất cảnh trái phép",
    "phối hợp phòng, chống tội phạm qua biên giới",
)
CALLS = (
    "tình hình xuất nhập cảnh tại cửa khẩu",
    "vụ việc phát sinh tại khu vực biên giới",
    "lịch trao trả công dân",
    "lịch kiểm tra song phương",
)
UNSCHEDULED = (
    "vụ việc công dân qua lại biên giới trái phép",
    "vụ việc gia súc vượt biên",
    "vụ việc phát sinh tại khu vực cửa khẩu",
)
PROVINCE_LETTERS = (
    "đề nghị phối hợp tổ chức đoàn công tác",
    "thông báo kết quả thực hiện biên bản hội đàm",
    "đề nghị trao đổi thông tin về hợp tác thương mại qua biên giới",
    "chúc mừng nhân dịp kỷ niệm thiết lập quan hệ ngoại giao Việt Nam – Trung Quốc",
    "đề nghị phối hợp quản lý lao động qua biên giới",
    "phúc đáp thư đề nghị hợp tác",
)


class _Month:
    """The entries of one post in one month, drawn from the month's own generator."""

    def __init__(self, post: Post, year: int, month: int, seed: int, numbers: dict[str, int]):
        self.post, self.year, self.month = post, year, month
        self.rng = random.Random(f"{seed}/{post.key}/{year:04d}-{month:02d}")
        self.days = _month_days(year, month)
        self.first = self.days[0]
        self.covid = restrictions(self.first)
        self.unit = post.after if self.first >= REFORM else post.before
        self.name = post.name_after if self.first >= REFORM else post.name_before
        self.numbers = numbers  # letters numbered through the year, per direction
        self.entries: list[Entry] = []

    def add(
        self, kind: str, day: datetime.date, title: str, counterpart: str, **kw: object
    ) -> None:
        defaults: dict[str, Any] = {
            "channel": "in_person",
            "diplomacy": "people" if self.post.role == COMMUNE else "state",
            "direction": "joint",
        }
        if kind in IN_PERSON and self.rng.random() < 0.8 * self.covid:
            defaults["channel"] = "online"
        defaults.update(kw)
        self.entries.append(Entry(self.unit, kind, day, title, counterpart, **defaults))

    def count(self, kind: str, mean: float) -> int:
        factor = _factor(kind, self.covid)
        if _tet_month(self.year, self.month):
            factor *= 0.8
        if kind == "meeting" and _spring(self.year, self.month):
            factor *= 1.4
        if kind == "information" and self.month in RAINY_MONTHS:
            factor *= 2.5
        return _poisson(self.rng, mean * factor)

    def number(self, direction: str) -> int:
        self.numbers[direction] = self.numbers.get(direction, 0) + 1
        return self.numbers[direction]

    def in_window(self, lo: int, hi: int) -> datetime.date:
        return self.rng.choice([d for d in self.days if lo <= d.day <= hi and d.weekday() < 5])


def _letters(m: _Month, n: int, them: str) -> None:
    name = THEIR_NAMES[them]
    for day in _pick_days(m.rng, m.days, n, distinct=False):
        sent = m.rng.random() < 0.5
        covid = m.rng.random() < m.covid * 0.5
        topics: tuple[str, ...]
        if sent:
            topics = LETTER_COVID_SENT if covid else LETTER_SENT
            title = f"Thư số {m.number('sent')}/ĐBP gửi {name} {m.rng.choice(topics)}"
        else:
            topics = LETTER_COVID_RECEIVED if covid else LETTER_RECEIVED
            title = f"Thư số {m.number('received')} của {name} {m.rng.choice(topics)}"
        direction = "sent" if sent else "received"
        m.add("letter", day, title, them, channel="letter", direction=direction)


def _station(m: _Month) -> None:
    them, name = TIANBAO_STATION, THEIR_NAMES[TIANBAO_STATION]
    rng = m.rng
    for kind, mean in RATES[STATION]:
        n = m.count(kind, mean)
        if kind == "letter":
            _letters(m, n, them)
            continue
        for day in _pick_days(rng, m.days, n):
            if kind == "meeting":
                topic = (
                    "phòng, chống dịch COVID-19"
                    if rng.random() < m.covid * 0.6
                    else rng.choice(TALKS)
                )
                m.add(kind, day, f"Hội đàm với {name} về {topic}", them)
            elif kind == "phone_call":
                topic = rng.choice(CALLS)
                direction = rng.choice(("sent", "received"))
                m.add(
                    kind,
                    day,
                    f"Điện thoại trao đổi với {name} về {topic}",
                    them,
                    channel="phone",
                    direction=direction,
                )
            elif kind == "handover":
                ours = rng.random() < 0.75  # mostly Vietnamese citizens handed back to us
                persons = 1 + int(rng.expovariate(1 / (6.0 if ours else 1.5)))
                if ours:
                    title = f"Tiếp nhận {persons} công dân Việt Nam do {name} trao trả"
                else:
                    title = f"Trao trả {persons} công dân Trung Quốc nhập cảnh trái phép cho {name}"
                m.add(
                    kind,
                    day,
                    title,
                    them,
                    channel="in_person",
                    direction="received" if ours else "sent",
                    persons=persons,
                )
            elif kind == "unscheduled_exchange":
                m.add(kind, day, f"Gặp đột xuất {name} giải quyết {rng.choice(UNSCHEDULED)}", them)
            elif kind == "joint_patrol":
                m.add(
                    kind,
                    day,
                    "Tuần tra song phương đoạn biên giới khu vực cửa khẩu Thanh Thủy – Thiên Bảo",
                    them,
                    channel="in_person",
                )
    # The monthly bilateral check, held on the ground even under restrictions when it can be.
    if rng.random() >= 0.4 * m.covid:
        m.add(
            "bilateral_check",
            m.in_window(10, 25),
            f"Kiểm tra song phương tháng {m.month}/{m.year} khu vực cửa khẩu Thanh Thủy – "
            "Thiên Bảo",
            them,
            channel="in_person",
        )
    tet = _tet_month(m.year, m.month)
    if tet:  # New-Year greetings a week before Tết (the days may fall in the month before)
        greet = tet[0] - datetime.timedelta(days=rng.randint(5, 9))
        year_name = f"{tet[1]} {tet[0].year}"
        m.add(
            "letter",
            greet,
            f"Thư chúc mừng năm mới {year_name} gửi {name}",
            them,
            channel="letter",
            direction="sent",
        )
        m.add(
            "letter",
            greet + datetime.timedelta(days=1),
            f"Thư chúc mừng năm mới {year_name} của {name}",
            them,
            channel="letter",
            direction="received",
        )
        m.add(
            "meeting",
            greet - datetime.timedelta(days=2),
            f"Gặp mặt, chúc Tết Nguyên đán {year_name} với {name}",
            them,
        )
    if m.month == 8:  # their greetings for Vietnam's National Day (2 September 1945)
        m.add(
            "letter",
            m.in_window(25, 31),
            f"Thư của {name} chúc mừng {m.year - 1945} năm Quốc khánh nước CHXHCN Việt Nam",
            them,
            channel="letter",
            direction="received",
        )
    if m.month == 9:  # ours for China's National Day (1 October 1949)
        m.add(
            "letter",
            m.in_window(24, 30),
            f"Thư chúc mừng {m.year - 1949} năm Quốc khánh nước CHND Trung Hoa gửi {name}",
            them,
            channel="letter",
            direction="sent",
        )
    if m.month == 10 and m.covid == 0:  # a political exchange a year, once visits resume
        m.add(
            "political_exchange",
            m.in_window(5, 20),
            f"Giao lưu chính trị, văn hóa với {name} năm {m.year}",
            them,
        )


def _commune(m: _Month) -> None:
    them, name = TIANBAO_TOWN, THEIR_NAMES[TIANBAO_TOWN]
    rng, ours = m.rng, m.name
    titles = {
        "meeting": f"Gặp mặt cụm dân cư hữu nghị {ours} – {name}",
        "information": f"Trao đổi thông tin về mưa lũ, sạt lở đất với {name}",
        "cultural_event": f"Giao lưu văn nghệ hữu nghị giữa {ours} và {name}",
        "sports_event": f"Giao lưu bóng chuyền hữu nghị giữa {ours} và {name}",
    }
    if m.month not in RAINY_MONTHS:
        titles["information"] = f"Trao đổi thông tin về tình hình dịch bệnh với {name}"
    for kind, mean in RATES[COMMUNE]:
        for day in _pick_days(rng, m.days, m.count(kind, mean)):
            kw: dict[str, object] = {}
            if kind == "information":
                kw = {"channel": "phone", "direction": rng.choice(("sent", "received"))}
            m.add(kind, day, titles[kind], them, **kw)
    if _spring(m.year, m.month) and m.covid < 0.5:
        year_name = TET[m.year][1]
        m.add(
            "cultural_event",
            m.in_window(1, 20),
            f"Giao lưu văn nghệ mừng Xuân {year_name} giữa {ours} và {name}",
            them,
            persons=rng.randint(40, 160),
        )


# The province's meetings of its mechanisms: (mechanism, counterpart, month, title, diplomacy).
PROVINCE_MEETINGS = (
    (
        "hg-wenshan-secretaries-talks",
        WENSHAN,
        5,
        "Hội đàm định kỳ giữa Bí thư Tỉnh ủy {ours} và Bí thư Châu ủy Văn Sơn năm {year}",
        "party",
    ),
    (
        "gx-joint-working-committee",
        GUANGXI,
        7,
        "Hội nghị Ủy ban công tác liên hợp với Khu tự trị dân tộc Choang Quảng Tây năm {year}",
        "state",
    ),
    (
        "yn-joint-working-group",
        YUNNAN,
        11,
        "Hội nghị Nhóm công tác liên hợp với tỉnh Vân Nam năm {year}",
        "state",
    ),
)


def _province(m: _Month) -> None:
    rng, ours = m.rng, m.name.removeprefix("tỉnh ").strip()
    for kind, mean in RATES[PROVINCE]:
        for day in _pick_days(rng, m.days, m.count(kind, mean), distinct=kind != "letter"):
            them = rng.choice((YUNNAN, GUANGXI))
            name = THEIR_NAMES[them]
            if kind == "letter":
                sent = rng.random() < 0.55
                topic = rng.choice(PROVINCE_LETTERS)
                title = (
                    f"Thư số {m.number('sent')}/UBND-NGV gửi {name} {topic}"
                    if sent
                    else f"Thư số {m.number('received')} của {name} {topic}"
                )
                direction = "sent" if sent else "received"
                m.add(kind, day, title, them, channel="letter", direction=direction)
            elif kind == "information":
                topic = "mưa bão, lũ lụt" if m.month in RAINY_MONTHS else "tình hình dịch bệnh"
                m.add(
                    kind,
                    day,
                    f"Trao đổi thông tin về {topic} với {name}",
                    them,
                    channel="letter",
                    direction=rng.choice(("sent", "received")),
                )
            elif kind == "meeting":
                m.add(kind, day, f"Hội đàm với đoàn công tác {name}", them)
            elif kind == "tourism_event":
                m.add(
                    kind,
                    day,
                    f"Hội nghị xúc tiến du lịch {ours} tại {name}",
                    them,
                    direction="sent",
                )
            elif kind == "cultural_event":
                m.add(kind, day, f"Giao lưu văn hóa, nghệ thuật với {name}", them)
    if _spring(m.year, m.month):
        m.add(
            "meeting",
            m.in_window(3, 25),
            f"Gặp mặt đầu Xuân {TET[m.year][1]} giữa Bí thư các tỉnh biên giới và Bí thư Khu ủy "
            "Quảng Tây",
            GUANGXI,
            diplomacy="party",
            mechanism="gx-new-year-secretaries",
        )
    for mechanism, them, month, title, diplomacy in PROVINCE_MEETINGS:
        if m.month == month:
            m.add(
                "meeting",
                m.in_window(8, 26),
                title.format(ours=ours, year=m.year),
                them,
                diplomacy=diplomacy,
                mechanism=mechanism,
            )
    if m.covid >= 0.7 and rng.random() < 0.35:  # masks, 5,000 a time as the seeds report
        m.add(
            "aid_given",
            m.in_window(3, 26),
            f"Trao tặng khẩu trang y tế hỗ trợ {THEIR_NAMES[YUNNAN]} phòng, chống dịch COVID-19",
            YUNNAN,
            direction="sent",
            quantity=Decimal(5000),
            quantity_unit="khẩu trang",
        )


ROLES = {STATION: _station, COMMUNE: _commune, PROVINCE: _province}


def months(start: datetime.date, until: datetime.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (until.year, until.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def plan(until: datetime.date, seed: int = SEED, posts: tuple[Post, ...] = POSTS) -> list[Entry]:
    """Every sample entry from START to `until` (both included), in a fixed order."""
    out: list[Entry] = []
    for post in posts:
        # The ledger starts in July: the year's letters before it were numbered already.
        before = dict(RATES[post.role]).get("letter", 0.0) / 2 * (START.month - 1)
        numbers = {"sent": round(before), "received": round(before)}
        seen: set[tuple[str, str, datetime.date, str]] = set()
        for year, month in months(START, until):
            if month == 1:
                numbers = {}
            m = _Month(post, year, month, seed, numbers)
            ROLES[post.role](m)
            for entry in sorted(m.entries, key=lambda e: (e.day, e.kind, e.title)):
                if START <= entry.day <= until and entry.key not in seen:
                    seen.add(entry.key)
                    out.append(entry)
    return out
