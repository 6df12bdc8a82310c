"""Printing an evaluation report: an aligned table for people, JSON for programs."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection, Sequence

from graph.eval.score import Report

# --- printing ----------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
        for ch in text
    )


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def _table(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(_pad(cell, widths[i], right=i in right) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def format_report(report: Report, *, limit: int | None = 20) -> str:
    """The report as text: the score table, then misses and false positives with evidence.

    ``limit`` caps how many misses and false positives are listed per section
    (None lists all).
    """
    header = ("", "tp", "fp", "fn", "precision", "recall", "f1")
    rows: list[Sequence[str]] = [header]
    for section in report.sections:
        rows.append((section.name, "", "", "", "", "", ""))
        for score in (*section.rows, section.total):
            rows.append(
                (
                    f"  {score.label}",
                    str(score.tp),
                    str(score.fp),
                    str(score.fn),
                    f"{score.precision:.3f}",
                    f"{score.recall:.3f}",
                    f"{score.f1:.3f}",
                )
            )
    lines = _table(rows, right=range(1, 7)) if report.sections else ["nothing scored"]
    for title, items in (("misses", report.misses), ("false positives", report.false_positives)):
        for section in dict.fromkeys(i.section for i in items):
            chosen = [i for i in items if i.section == section]
            lines += ["", f"{section}: {title} ({len(chosen)})"]
            shown = chosen if limit is None else chosen[:limit]
            cells = [(f"  {i.label}", i.text, i.doc, i.reason) for i in shown]
            for item, line in zip(shown, _table(cells), strict=True):
                lines.append(line)
                if item.evidence:
                    lines.append(f"      「{item.evidence}」")
            if len(chosen) > len(shown):
                lines.append(f"  … and {len(chosen) - len(shown)} more (--limit 0 lists all)")
    if report.notes:
        lines.append("")
        lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    """The report as indented JSON (Chinese kept as is)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
