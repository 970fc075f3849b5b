"""A seeded, realistic corpus of DMS positions for the benchmarks.

Shapes and magnitudes follow the real examples of docs/formats.md: checkpoints of
every engine shape (most of a real audit table), native positions, dates and stop
positions.  Values are unique.  ``python -m benchmarks.corpus N > file`` writes one.
"""

from __future__ import annotations

import random
import sys

REAL_EXAMPLES = [
    "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:mysql-bin-changelog.157832:1876#0#0#*#0#93",
    "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
    "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
    "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213",
    "checkpoint:V1#5015#00000007.c99042d0.00000001.000c.01.0000:401032.58563.16#0#0#*#0#0",
    "2018-03-08T12:12:12",
    "mysql-bin-changelog.000024:373",
    "4AF/B00000D0",
    "0/5120E10",
    "16/B374D848",
    "00000014:00000061:0001",
    "6916533",
    "server_time:2018-02-09T12:12:12",
    "commit_time:2018-02-09T12:12:12",
]


def _date(rng: random.Random) -> str:
    return (
        f"{rng.randint(2016, 2026):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    )


def _mysql_checkpoint(rng: random.Random) -> str:
    sequence = rng.randint(1, 999_999)
    begin = rng.randint(4, 500_000_000)
    offset = begin + rng.randint(1, 50_000)
    file = f"mysql-bin-changelog.{sequence:06d}"
    return (
        f"checkpoint:V1#{rng.randint(1, 99_999)}#{file}:{offset}:{rng.choice([-1, 0])}:"
        f"{offset + rng.randint(1, 500)}:{rng.randint(10**14, 10**15)}:{file}:{begin}"
        f"#0#0#*#0#{rng.randint(0, 999)}"
    )


def _postgres_checkpoint(rng: random.Random) -> str:
    return (
        f"checkpoint:V1#{rng.randint(1, 99_999)}#{rng.randint(0, 0xFFFF):08X}/"
        f"{rng.randint(0, 0xFFFFFFFF):08X}#0#0#*#0#{rng.randint(0, 999)}"
    )


def _sqlserver_checkpoint(rng: random.Random) -> str:
    vlf, block = rng.randint(1, 0xFFFF), rng.randint(1, 0xFFFFFF)
    slot = rng.randint(1, 0xFFF)
    return (
        f"checkpoint:V1#{rng.randint(1, 99_999)}#{vlf:08x}:{block:08x}:{slot:04x}#0#"
        f"{rng.randint(0, 999)}#{vlf:08x}:{block + rng.randint(1, 99):08x}:{slot:04x}#0#"
        f"{rng.randint(0, 999)}"
    )


def _oracle_checkpoint(rng: random.Random) -> str:
    return (
        f"checkpoint:V1#{rng.randint(1, 99_999)}#{rng.randint(0, 0xFF):08x}."
        f"{rng.randint(0, 0xFFFFFFFF):08x}.{rng.randint(0, 9):08x}.{rng.randint(0, 0xFFF):04x}."
        f"{rng.randint(0, 0xFF):02x}.0000:{rng.randint(0, 10**6)}.{rng.randint(0, 10**5)}."
        f"{rng.randint(0, 99)}#0#0#*#0#0"
    )


def _native(rng: random.Random) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        return f"mysql-bin-changelog.{rng.randint(1, 999_999):06d}:{rng.randint(4, 10**9)}"
    if shape == 1:
        return f"{rng.randint(0, 0xFFFF):X}/{rng.randint(0, 0xFFFFFFFF):X}"
    if shape == 2:
        return (
            f"{rng.randint(1, 0xFFFF):08x}:{rng.randint(1, 0xFFFFFF):08x}:"
            f"{rng.randint(1, 0xFFF):04x}"
        )
    return str(rng.randint(10**6, 10**13))


# (weight, generator): checkpoints dominate real audit tables and task-history exports.
_SHAPES = [
    (25, _mysql_checkpoint),
    (20, _postgres_checkpoint),
    (10, _sqlserver_checkpoint),
    (5, _oracle_checkpoint),
    (25, _native),
    (8, _date),
    (7, lambda rng: f"{rng.choice(['server_time', 'commit_time'])}:{_date(rng)}"),
]


def corpus(size: int, seed: int = 20261128) -> list[str]:
    """``size`` unique strings (the real examples first), reproducible from ``seed``."""
    rng = random.Random(seed)
    weights = [w for w, _ in _SHAPES]
    makers = [m for _, m in _SHAPES]
    seen = set(REAL_EXAMPLES)
    out = list(REAL_EXAMPLES)
    while len(out) < size:
        text = rng.choices(makers, weights)[0](rng)
        if text not in seen:
            seen.add(text)
            out.append(text)
    rng.shuffle(out)
    return out[:size]


def postgres_checkpoints(size: int, seed: int = 7) -> list[str]:
    """Unique PostgreSQL checkpoints: one engine, for the sorting figures."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < size:
        out.add(_postgres_checkpoint(rng))
    return sorted(out, key=lambda _: rng.random())


if __name__ == "__main__":
    sys.stdout.write("\n".join(corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)) + "\n")
