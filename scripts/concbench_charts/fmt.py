"""Figures as a reader sees them: three significant digits, SI prefixes, an interval in brackets after its value.

`rate(31064, 30500, 31600)` is `31.1 k items/s [30.5–31.6 k]`, `times(1.853, 1.8, 1.9)` is `1.85× [1.80–1.90]`,
`duration_ns(21489)` is `21.5 µs`. A missing interval is simply left out; a missing value is an empty string.
"""

from __future__ import annotations

import math

PREFIXES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
TIME_UNITS = ((1e9, "s"), (1e6, "ms"), (1e3, "µs"), (1.0, "ns"))


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def sig(value: float) -> str:
    """Three significant digits, trailing zeros kept (1.80, 95.0, 0.00885); whole numbers from 1000 on."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:#.3g}".rstrip(".")


def _scaled(value: float, scale: float) -> str:
    return sig(value / scale)


def _prefix(value: float) -> tuple[float, str]:
    for scale, prefix in PREFIXES:
        if abs(value) >= scale:
            return scale, prefix
    return 1.0, ""


def _interval(low: float | None, high: float | None, scale: float, suffix: str = "") -> str:
    if _missing(low) or _missing(high):
        return ""
    return f" [{_scaled(low, scale)}–{_scaled(high, scale)}{suffix}]"


def si(value: float | None) -> str:
    """31064 → `31.1 k`, 950 → `950`."""
    if _missing(value):
        return ""
    scale, prefix = _prefix(value)
    return f"{_scaled(value, scale)} {prefix}".rstrip()


def rate(value: float | None, low: float | None = None, high: float | None = None, unit: str = "items/s") -> str:
    if _missing(value):
        return ""
    scale, prefix = _prefix(value)
    return f"{si(value)} {unit}" + _interval(low, high, scale, f" {prefix}".rstrip())


def interval_text(low: float | None, high: float | None, digits: str = "") -> str:
    """An interval alone, for a table column of its own: `30.5 k–31.6 k`, `1.80–1.90`."""
    if _missing(low) or _missing(high):
        return ""
    if digits == "si":
        return f"{si(low)}–{si(high)}"
    return f"{sig(low)}–{sig(high)}"


def times(value: float | None, low: float | None = None, high: float | None = None) -> str:
    """A ratio: `1.85× [1.80–1.90]`; three significant digits however small (`0.00885×`)."""
    if _missing(value):
        return ""
    return f"{sig(value)}×" + _interval(low, high, 1.0)


def duration_ns(value: float | None, low: float | None = None, high: float | None = None) -> str:
    """Nanoseconds in the unit that reads best: `35.6 ns [34.2–63.3]`, `21.5 µs [21.3–21.9]`."""
    if _missing(value):
        return ""
    scale, unit = next(((s, u) for s, u in TIME_UNITS if abs(value) >= s), (1.0, "ns"))
    return f"{_scaled(value, scale)} {unit}" + _interval(low, high, scale)


def cores(count: int | float) -> str:
    return f"{int(count)} core" + ("" if int(count) == 1 else "s")


def share(count: int, total: int) -> str:
    return f"{count} of {total}"


def listing(items: list[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
