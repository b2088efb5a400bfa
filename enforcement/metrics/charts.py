"""Weekly trend chart as SVG text: pure (numbers in, SVG out), deterministic, nothing external.

matplotlib draws it without a GUI (the Figure API, no pyplot state). The SVG is inlined in
pages, so it must not change between runs (fixed id salt, no date) and must reference nothing
outside itself: the XML prolog and DOCTYPE (which names a DTD by URL) and the metadata block
(which names matplotlib's site) are left out. Its only text is numbers and our fixed labels,
which matplotlib escapes as XML.
"""

import io
import math
import re
import threading
from collections.abc import Sequence
from datetime import date

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# (first day of the week, notices, offline_within_24h_pct or None)
WeekPoint = tuple[date, int, float | None]

# rcParams are global to the process: hold them steady while one chart is saved.
_RENDER_LOCK = threading.Lock()
RC = {
    "svg.hashsalt": "takedown-enforcement",  # stable ids, so the same chart is the same bytes
    "svg.fonttype": "none",  # text as <text>, not glyph paths
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 9,
}
NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
BAR_COLOUR = "#c9d6e8"
LINE_COLOUR = "#154273"
THRESHOLD_COLOUR = "#b00020"
# The chart's words in the languages of the letters (the pages use English).
LABELS = {
    "en": {"notices": "Notices", "per_week": "Notices per week",
           "within_24h": "Offline within 24 h", "within_24h_pct": "Offline within 24 h (%)",
           "minimum": "Policy minimum ({pct} %)",
           "months": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                      "Nov", "Dec")},
    "nl": {"notices": "Meldingen", "per_week": "Meldingen per week",
           "within_24h": "Offline binnen 24 uur", "within_24h_pct": "Offline binnen 24 uur (%)",
           "minimum": "Norm: minimaal {pct} %",
           "months": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt",
                      "nov", "dec")},
}  # fmt: skip


def weekly_chart(
    weeks: Sequence[WeekPoint], *, threshold_pct: float | None = None, language: str = "en"
) -> str:
    """Return an SVG of notices per week (bars) and the share offline within 24 h (line),
    labelled in ``language`` (en or nl)."""
    with _RENDER_LOCK, matplotlib.rc_context(RC):
        canvas = _canvas(language)
        canvas.fill(weeks, threshold_pct)
        buffer = io.StringIO()
        canvas.figure.savefig(buffer, format="svg", metadata=NO_METADATA)
    return _bare_svg(buffer.getvalue())


class _Canvas:
    """A figure with its two axes and fixed parts, kept per language and refilled per chart.

    Building the figure, its axes and their ticks is about half of a chart's time; only the
    bars, the line, the norm, the weeks and the legend change. Used under _RENDER_LOCK only.
    The output depends on the chart's data alone (tests draw charts in different orders).
    """

    def __init__(self, words: dict):
        self.words = words
        # Fixed margins rather than layout="constrained": the same picture in half the time.
        self.figure = Figure(figsize=(8, 3.2))
        self.figure.subplots_adjust(left=0.08, right=0.92, top=0.86, bottom=0.1)
        self.counts_axes = counts_axes = self.figure.add_subplot()
        self.share_axes = share_axes = counts_axes.twinx()
        counts_axes.set_ylabel(words["per_week"])
        counts_axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        counts_axes.tick_params(axis="x", labelsize=8)
        share_axes.set_ylim(0, 105)
        share_axes.set_yticks([0, 25, 50, 75, 100])
        share_axes.xaxis.set_visible(False)  # the bars' axis carries the weeks
        share_axes.set_ylabel(words["within_24h_pct"])
        for axes in (counts_axes, share_axes):
            axes.spines["top"].set_visible(False)
        # Draw the line over the bars; the upper axes' background must be see-through for that.
        counts_axes.set_zorder(0)
        share_axes.set_zorder(1)
        share_axes.patch.set_visible(False)
        self.drawn: list = []  # what the last chart added, taken away before the next

    def fill(self, weeks: Sequence[WeekPoint], threshold_pct: float | None) -> None:
        for artist in self.drawn:
            artist.remove()
        counts_axes, share_axes, words = self.counts_axes, self.share_axes, self.words
        for axes in (counts_axes, share_axes):
            axes.relim()  # forget the last chart's data limits
        positions = list(range(len(weeks)))
        counts = [count for _, count, _ in weeks]
        shares = [math.nan if share is None else share for _, _, share in weeks]
        bars = counts_axes.bar(positions, counts, color=BAR_COLOUR, label=words["notices"])
        counts_axes.set_ylim(0, max([*counts, 1]) * 1.15)
        counts_axes.set_xticks(positions, [_label(day, words) for day, _, _ in weeks])
        (line,) = share_axes.plot(
            positions, shares, color=LINE_COLOUR, marker="o", label=words["within_24h"]
        )
        self.drawn = [bars, line]
        if threshold_pct is not None:
            self.drawn.append(share_axes.axhline(
                threshold_pct, color=THRESHOLD_COLOUR, linestyle="--", linewidth=1,
                label=words["minimum"].format(pct=f"{threshold_pct:g}"),
            ))  # fmt: skip
        handles = [
            *counts_axes.get_legend_handles_labels()[0],
            *share_axes.get_legend_handles_labels()[0],
        ]
        self.drawn.append(self.figure.legend(
            handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=3,
            frameon=False,
        ))  # fmt: skip


_CANVASES: dict[str, _Canvas] = {}


def _canvas(language: str) -> _Canvas:
    if language not in _CANVASES:
        _CANVASES[language] = _Canvas(LABELS[language])
    return _CANVASES[language]


def _label(day: date, words: dict) -> str:
    return f"{day.day} {words['months'][day.month - 1]}"


STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>[^<]*</style>")
# What the dropped <style> element said, as attributes the root passes down to every shape.
ROOT_STROKE = ' stroke-linejoin="round" stroke-linecap="butt"'


def _bare_svg(document: str) -> str:
    """Return the <svg> element alone: no XML prolog, no DOCTYPE (it names a DTD by URL); and
    no inline CSS, which the pages' Content-Security-Policy refuses: each style="..." becomes
    the SVG presentation attributes it lists."""
    svg = document[document.index("<svg") :].strip()
    svg = STYLE_ELEMENT.sub("", svg).replace("<svg ", "<svg" + ROOT_STROKE + " ", 1)
    return STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)


def _presentation_attributes(match: re.Match) -> str:
    declarations = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)
