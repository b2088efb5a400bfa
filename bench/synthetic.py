"""A synthetic notices file: skewed over hosters, deterministic for a seed, nothing real in it.

Hosts are under example.test and addresses in the documentation ranges (RFC 5737, RFC 3849);
every row names its hoster by KvK number, since 2,000 hosters cannot each get a distinct
documentation /24. Times spread over a year that ends at EXPORTED_AT; offline and reappeared
times after that moment are left out, as the hotline's export could not know them yet.
"""

import csv
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

EXPORTED_AT = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
SPAN = timedelta(days=365)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HEADER = ("notice_id", "url", "ip", "hoster", "notice_sent_at", "offline_at", "reappeared_at",
          "content_hash")  # fmt: skip
IPV4_PREFIXES = ("192.0.2.", "198.51.100.", "203.0.113.")
SERVERS_PER_HOSTER = 5  # content sits on a few servers per hoster: addresses repeat
TAKEN_DOWN_SHARE = 0.8
REAPPEARED_SHARE = 0.03


@dataclass(frozen=True)
class SyntheticHoster:
    kvk: str
    name: str
    weight: float
    median_takedown_hours: float  # a slow hoster has a long one


def make_hosters(count: int, rng: random.Random) -> list[SyntheticHoster]:
    """Hosters with Zipf-like weights (the first few carry most notices) and their own pace."""
    hosters = []
    for rank in range(1, count + 1):
        # Most take content down within hours; one in eight is slow (days).
        pace = rng.lognormvariate(math.log(3.0), 0.8)
        if rng.random() < 0.125:
            pace *= rng.uniform(8, 30)
        kvk = f"{90_000_000 + rank:08d}"
        hosters.append(SyntheticHoster(kvk, f"Bench Hoster {rank}", 1.0 / rank**1.1, pace))
    return hosters


def _address(hoster: SyntheticHoster, server: int) -> str:
    """A documentation address for one of the hoster's servers; the last one is IPv6."""
    number = int(hoster.kvk) - 90_000_000
    if server == SERVERS_PER_HOSTER - 1:
        return f"2001:db8:{number:x}::{server + 1:x}"
    return f"{IPV4_PREFIXES[(number + server) % 3]}{(number * 7 + server) % 254 + 1}"


def _stamp(moment: datetime, local: bool) -> str:
    """ISO 8601 with an offset: mostly UTC, some in Amsterdam time as a monitor might write."""
    return moment.astimezone(AMSTERDAM).isoformat() if local else moment.isoformat()


def _times(rng: random.Random, hoster: SyntheticHoster, sent: datetime) -> tuple[str, str]:
    if rng.random() >= TAKEN_DOWN_SHARE:
        return "", ""
    # Log-normal delays: minutes for most notices, weeks for a few.
    hours = rng.lognormvariate(math.log(hoster.median_takedown_hours), 1.4)
    offline = sent + timedelta(seconds=max(60, round(hours * 3600)))
    if offline > EXPORTED_AT:
        return "", ""
    local = rng.random() < 0.1
    reappeared = ""
    if rng.random() < REAPPEARED_SHARE:
        moment = offline + timedelta(hours=rng.expovariate(1 / 72))
        reappeared = _stamp(moment.replace(microsecond=0), local) if moment <= EXPORTED_AT else ""
    return _stamp(offline, local), reappeared


def write_notices(path: Path, notices: int, hosters: list[SyntheticHoster], seed: int) -> None:
    """Write the notices, in the order they were sent, as the hotline's CSV export."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    span_seconds = int(SPAN.total_seconds())
    start = EXPORTED_AT - SPAN
    offsets = sorted(rng.randrange(span_seconds) for _ in range(notices))
    chosen = rng.choices(hosters, weights=[h.weight for h in hosters], k=notices)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        for number, (offset, hoster) in enumerate(zip(offsets, chosen, strict=True), start=1):
            # Most times are whole seconds; every fourth has microseconds, as a probe might.
            micros = rng.randrange(1_000_000) if number % 4 == 0 else 0
            sent = start + timedelta(seconds=offset, microseconds=micros)
            offline, reappeared = _times(rng, hoster, sent)
            ip = _address(hoster, rng.randrange(SERVERS_PER_HOSTER))
            index = int(hoster.kvk) % 250
            digest = f"{rng.getrandbits(256):064x}" if number % 2 else ""
            url = f"https://files{index}.example.test/{rng.getrandbits(48):012x}/{number}.jpg"
            sent_text = _stamp(sent, number % 10 == 5)
            writer.writerow((f"N{number:09d}", url, ip, hoster.kvk, sent_text, offline,
                             reappeared, digest))  # fmt: skip
