"""Markdown och ren text (terminalen) ur ett `Dokument`."""

from __future__ import annotations

import textwrap

import attrs

from bemanning.reports.format.dokument import Dokument, Rubrik, Stycke, Tabell, cell_text
from bemanning.svenska import tal

WIDTH = 80
HEADER_WIDTH = 16  # bredare kolumnrubriker radbryts i textformatet


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(tabell: Tabell) -> list[str]:
    numeric = tabell.numeric_columns()
    lines = ["| " + " | ".join(_md_cell(c) for c in tabell.kolumner) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    for row in tabell.rader:
        lines.append("| " + " | ".join(_md_cell(cell_text(c)) for c in row) + " |")
    return lines


def markdown(dokument: Dokument) -> str:
    lines = [f"# {dokument.titel}", "", f"## {dokument.rubrik}", ""]
    previous_bullet = False
    for del_ in dokument.delar:
        if isinstance(del_, Stycke):
            text = f"*{del_.text}*" if del_.kursiv else del_.text
            if del_.punkt:
                lines.append(f"- {text}")
                previous_bullet = True
                continue
            if previous_bullet:
                lines.append("")
            lines.extend([text, ""])
        elif isinstance(del_, Rubrik):
            if previous_bullet:
                lines.append("")
            lines.extend(["#" * (del_.niva + 1) + f" {del_.text}", ""])
        elif isinstance(del_, Tabell):
            if previous_bullet:
                lines.append("")
            if del_.rubrik:
                lines.extend([f"*{del_.rubrik}*", ""])
            lines.extend(_md_table(del_))
            lines.append("")
        previous_bullet = False
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def _text_table(tabell: Tabell) -> list[str]:
    numeric = tabell.numeric_columns()
    body = [[cell_text(c) for c in row] for row in tabell.rader]
    widths = []
    for i, name in enumerate(tabell.kolumner):
        data = max((len(row[i]) for row in body), default=0)
        longest_word = max((len(w) for w in name.split()), default=0)
        widths.append(max(data, longest_word, min(len(name), HEADER_WIDTH)))
    header_lines = [textwrap.wrap(name, w) or [""] for name, w in zip(tabell.kolumner, widths, strict=True)]
    height = max(len(h) for h in header_lines)

    def fmt(row: list[str]) -> str:
        parts = [
            value.rjust(widths[i]) if numeric[i] else value.ljust(widths[i])
            for i, value in enumerate(row)
        ]
        return "  ".join(parts).rstrip()

    lines = []
    for level in range(height):  # rubrikerna radbryts och står mot tabellens underkant
        lines.append(fmt([h[level - (height - len(h))] if level >= height - len(h) else "" for h in header_lines]))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(fmt(row) for row in body)
    if not tabell.rader:
        lines.append("(inga)")
    return lines


def plain_text(dokument: Dokument, width: int = WIDTH, max_rader: int | None = None) -> str:
    """Dokumentet som text, styckena radbrutna vid `width` tecken (gränssnittet: rutans bredd).

    `max_rader`: visa högst så många rader av varje tabell och skriv hur många som är kvar (för en
    förhandsvisning; en rapport kan ha tiotusentals rader, exporten har alltid alla)."""
    lines = textwrap.wrap(dokument.titel, width)
    lines.extend(["", dokument.rubrik, "=" * min(len(dokument.rubrik), width), ""])
    previous_bullet = False
    for del_ in dokument.delar:
        if isinstance(del_, Stycke):
            if del_.punkt:
                lines.extend(textwrap.wrap(del_.text, width, initial_indent="- ", subsequent_indent="  "))
                previous_bullet = True
                continue
            if previous_bullet:
                lines.append("")
            lines.extend(textwrap.wrap(del_.text, width) + [""])
        elif isinstance(del_, Rubrik):
            if previous_bullet:
                lines.append("")
            lines.extend([del_.text, "-" * min(len(del_.text), width), ""])
        elif isinstance(del_, Tabell):
            if previous_bullet:
                lines.append("")
            if del_.rubrik:
                lines.extend(textwrap.wrap(del_.rubrik, width) + [""])
            rest = 0
            if max_rader is not None and len(del_.rader) > max_rader:
                rest = len(del_.rader) - max_rader
                del_ = attrs.evolve(del_, rader=del_.rader[:max_rader])
            lines.extend(_text_table(del_))
            if rest:
                lines.append(f"… och {tal(rest)} rader till. Hela tabellen finns i exporten.")
            lines.append("")
        previous_bullet = False
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
