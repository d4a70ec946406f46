"""Charts of series the database layer has already counted: data in, SVG or PNG bytes out.

Drawing uses matplotlib's object API on the Agg canvas (no pyplot, no GUI), DejaVu Sans (bundled
with matplotlib, with Cyrillic) and the Okabe-Ito colour-blind-safe palette. Output is
deterministic: the same chart gives byte-identical SVG and PNG, with no date or software version
inside. SVG keeps its text as text, so titles and labels can be searched and read aloud.
Titles, labels and notes come translated from the caller; the few axis words built in here are
in English or Russian ("ru"; any other language gets English).
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from docket.core.errors import ValidationError

FORMATS = ("svg", "png")
KINDS = ("stacked_area", "stacked_bar", "bar", "barh")

# Okabe & Ito (2008), "Color Universal Design"; black last, as it hides the axes' own ink.
PALETTE = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
# Past the palette, colours repeat with a hatch, so that no two series look the same.
HATCHES = ("", "//", "..", "xx", "\\\\", "oo")

SIZE_INCHES = (8.0, 4.5)
PNG_DPI = 100
MANY_POINTS = 12  # custody_over_time draws stacked bars up to this many dates, then an area

# Settings in force while a chart is drawn and saved (under _LOCK, as rcParams are global).
RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "svg.hashsalt": "docket",
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.8,
}
_LOCK = threading.Lock()

WORDS: dict[str, dict[str, str]] = {
    "custody_title": {
        "en": "People in custody, by ethnicity",
        "ru": "Лица под стражей, по этнической принадлежности",
    },
    "people": {"en": "people", "ru": "человек"},
    "events": {"en": "events", "ru": "событий"},
    "count": {"en": "count", "ru": "количество"},
}

TITLE_WRAP = 70  # characters per line of the title
NOTE_WRAP = 120  # characters per line of the note
MAX_TICKS = 12  # at most this many labels on the category axis of a vertical chart
MAX_BAR_LABELS = 30  # bars are labelled with their value up to this many


@dataclass(frozen=True)
class Series:
    """One line of data: a legend label and one value per x point."""

    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """What to draw. ``x_title`` names the category axis and ``y_title`` the value axis
    (for "barh" the value axis is the horizontal one). Points are evenly spaced."""

    title: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    kind: str
    x_title: str = ""
    y_title: str = ""
    note: str = ""


def word(key: str, lang: str) -> str:
    """A built-in word in ``lang`` ("ru", else English)."""
    return WORDS[key]["ru" if lang == "ru" else "en"]


def check(chart: Chart) -> Chart:
    """Return ``chart`` or raise a ValidationError naming what is wrong with it."""
    if chart.kind not in KINDS:
        raise ValidationError(f'unknown chart kind "{chart.kind}"; valid: {", ".join(KINDS)}')
    if not chart.series:
        raise ValidationError("a chart needs at least one series", where=_where(chart))
    if not chart.x_labels:
        raise ValidationError("a chart needs at least one x point", where=_where(chart))
    n = len(chart.x_labels)
    for s in chart.series:
        if len(s.values) != n:
            raise ValidationError(
                f'series "{s.label}" has {len(s.values)} values but there are {n} x labels',
                where=_where(chart),
            )
        for x, v in zip(chart.x_labels, s.values, strict=True):
            if not math.isfinite(v):
                raise ValidationError(
                    f'series "{s.label}" has no finite value at "{x}" ({v})', where=_where(chart)
                )
            if v < 0:
                raise ValidationError(
                    f'series "{s.label}" has a negative value at "{x}" ({v:g})',
                    where=_where(chart),
                )
    return chart


def render(chart: Chart, fmt: str = "svg") -> bytes:
    """The chart as SVG or PNG bytes; the same chart always gives the same bytes."""
    if fmt not in FORMATS:
        raise ValidationError(f'unknown chart format "{fmt}"; valid: {", ".join(FORMATS)}')
    check(chart)
    buf = io.BytesIO()
    with _LOCK, matplotlib.rc_context(RC):
        fig = _draw(chart)
        if fmt == "svg":
            meta = {"Title": chart.title, "Date": None, "Creator": None}
            fig.savefig(buf, format="svg", metadata=meta)
        else:
            meta = {"Title": chart.title, "Software": None}
            fig.savefig(buf, format="png", dpi=PNG_DPI, metadata=meta)
    return buf.getvalue()


def custody_over_time(
    dates: Sequence[str],
    counts: Mapping[str, Sequence[float]],
    *,
    lang: str = "en",
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
    note: str = "",
) -> Chart:
    """How many people were in custody on each date, stacked by group (e.g. ethnicity).

    ``counts`` maps a group code to one count per date, in the order the groups should stack;
    ``labels`` maps a code to its legend label (the code itself by default). Up to
    MANY_POINTS dates are drawn as stacked bars, more as a stacked area.
    """
    labels = labels or {}
    return check(
        Chart(
            title=word("custody_title", lang) if title is None else title,
            x_labels=tuple(dates),
            series=tuple(
                Series(labels.get(code, code), tuple(values)) for code, values in counts.items()
            ),
            kind="stacked_bar" if len(dates) <= MANY_POINTS else "stacked_area",
            y_title=word("people", lang),
            note=note,
        )
    )


def per_period(
    periods: Sequence[str],
    counts: Sequence[float],
    *,
    lang: str = "en",
    title: str,
    note: str = "",
) -> Chart:
    """Bars of a count per period, e.g. detentions per week."""
    events = word("events", lang)
    return check(
        Chart(
            title=title,
            x_labels=tuple(periods),
            series=(Series(events, tuple(counts)),),
            kind="bar",
            y_title=events,
            note=note,
        )
    )


def by_category(
    counts: Mapping[str, float],
    *,
    lang: str = "en",
    title: str,
    labels: Mapping[str, str] | None = None,
    note: str = "",
) -> Chart:
    """Horizontal bars of a count per category, largest on top (ties in code order)."""
    labels = labels or {}
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count = word("count", lang)
    return check(
        Chart(
            title=title,
            x_labels=tuple(labels.get(code, code) for code, _ in ordered),
            series=(Series(count, tuple(value for _, value in ordered)),),
            kind="barh",
            y_title=count,
            note=note,
        )
    )


def _where(chart: Chart) -> str:
    return f'chart "{chart.title}"' if chart.title else "chart"


def _style(i: int) -> tuple[str, str]:
    """Colour and hatch of the i-th series."""
    return PALETTE[i % len(PALETTE)], HATCHES[(i // len(PALETTE)) % len(HATCHES)]


def _draw(chart: Chart) -> Figure:
    """A figure on an Agg canvas with the chart drawn on it."""
    note = textwrap.fill(chart.note, NOTE_WRAP)
    room = min(0.04 * (note.count("\n") + 1) + 0.01, 0.3) if note else 0.0  # for the note
    layout = ConstrainedLayoutEngine(rect=(0.0, room, 1.0, 1.0 - room))
    fig = Figure(figsize=SIZE_INCHES, dpi=PNG_DPI, layout=layout)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = list(range(len(chart.x_labels)))
    handles: list[Any] = []
    if chart.kind == "stacked_area":
        polys = ax.stackplot(xs, *[s.values for s in chart.series], linewidth=0.5)
        for i, poly in enumerate(polys):
            colour, hatch = _style(i)
            poly.set_facecolor(colour)
            poly.set_edgecolor("white")
            poly.set_hatch(hatch)
            handles.append(poly)
        if len(xs) > 1:
            ax.set_xlim(xs[0], xs[-1])
    elif chart.kind == "stacked_bar":
        bottom = [0.0] * len(xs)
        for i, s in enumerate(chart.series):
            colour, hatch = _style(i)
            handles.append(
                ax.bar(xs, s.values, 0.8, bottom=bottom, color=colour, hatch=hatch, linewidth=0)
            )
            bottom = [b + v for b, v in zip(bottom, s.values, strict=True)]
    else:
        n = len(chart.series)
        width = 0.8 / n
        for i, s in enumerate(chart.series):
            colour, hatch = _style(i)
            at = [x - 0.4 + width * (i + 0.5) for x in xs]
            if chart.kind == "bar":
                bars = ax.bar(at, s.values, width, color=colour, hatch=hatch, linewidth=0)
            else:
                bars = ax.barh(at, s.values, width, color=colour, hatch=hatch, linewidth=0)
            if n == 1 and len(xs) <= MAX_BAR_LABELS:
                ax.bar_label(bars, labels=[_number(v) for v in s.values], padding=2, fontsize=8)
            handles.append(bars)
    _axes(ax, chart)
    if len(chart.series) > 1:
        # Stacks read bottom-up, so their legend lists the top series first.
        stacked = chart.kind.startswith("stacked")
        pairs = list(zip(handles, [s.label for s in chart.series], strict=True))
        pairs = pairs[::-1] if stacked else pairs
        ax.legend(
            [h for h, _ in pairs],
            [label for _, label in pairs],
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=9,
        )
    ax.set_title(textwrap.fill(chart.title, TITLE_WRAP), loc="left", fontweight="bold")
    if note:
        fig.text(0.01, 0.01, note, fontsize=8, color="#444444", ha="left", va="bottom")
    return fig


def _axes(ax: Axes, chart: Chart) -> None:
    """Ticks, tick labels, axis titles and grid."""
    xs = list(range(len(chart.x_labels)))
    integral = all(float(v).is_integer() for s in chart.series for v in s.values)
    if chart.kind == "barh":
        ax.set_yticks(xs, list(chart.x_labels), fontsize=9)
        ax.invert_yaxis()  # first category on top
        ax.set_ylabel(chart.x_title)
        ax.set_xlabel(chart.y_title)
        ax.xaxis.set_major_locator(MaxNLocator(integer=integral))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.margins(x=0.08)
    else:
        step = max(1, math.ceil(len(xs) / MAX_TICKS))
        shown = xs[::step]
        longest = max(len(chart.x_labels[x]) for x in shown)
        rotation = 0 if longest * len(shown) <= 60 else 45
        ax.set_xticks(
            shown,
            [chart.x_labels[x] for x in shown],
            rotation=rotation,
            ha="right" if rotation else "center",
            rotation_mode="anchor",
            fontsize=9,
        )
        ax.set_xlabel(chart.x_title)
        ax.set_ylabel(chart.y_title)
        ax.yaxis.set_major_locator(MaxNLocator(integer=integral))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        if chart.kind == "bar":
            ax.margins(y=0.08)  # room for the value labels
        ax.set_ylim(bottom=0)
    ax.set_axisbelow(True)


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"
