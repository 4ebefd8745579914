"""Läser fält ur en tabellrad och samlar alla fel på raden (inte bara det första)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bemanning.io.problems import Problem
from bemanning.io.tabular import Table, _column_index
from bemanning.model.errors import ValidationError
from bemanning.model.values import ID_MAX, parse_id

T = TypeVar("T")

#: Högst så många olika (tolkning, kolumn, text) minns en tabell; fler tolkas som vanligt.
MEMO_MAX = 200_000


class TableContext:
    """Det som är detsamma för varje rad i en tabell: kolumnernas nummer, kolumnerna som mängd
    och de värden som redan har tolkats (ett datum, ett kön eller en lista intressen återkommer
    på tusentals rader i en stor fil; tolkningen är densamma varje gång, också felet)."""

    __slots__ = ("index", "columns", "memo")

    def __init__(self, table: Table) -> None:
        self.index = _column_index(table.header)
        self.columns = frozenset(table.header)
        self.memo: dict[tuple[Any, str, str], tuple[bool, Any]] = {}


def _plain_id(text: str) -> bool:
    """Ett id av synliga ASCII-tecken utan blanksteg först eller sist: `parse_id` ger det oförändrat."""
    return (len(text) <= ID_MAX and text.isascii() and text.isprintable()
            and text[0] != " " and text[-1] != " ")


class RowReader:
    __slots__ = ("table", "line", "cells", "problems", "ok", "context")

    def __init__(self, table: Table, line: int, cells: tuple[str, ...], problems: list[Problem],
                 context: TableContext | None = None) -> None:
        self.table = table
        self.line = line
        self.cells = cells
        self.problems = problems
        self.ok = True
        self.context = context if context is not None else TableContext(table)

    @property
    def columns(self) -> frozenset[str]:
        return self.context.columns

    def has(self, column: str) -> bool:
        return column in self.context.columns

    def raw(self, column: str) -> str:
        index = self.context.index.get(column)
        if index is None or index > len(self.cells):
            return ""
        return self.cells[index - 1]

    def error(self, column: str | None, message: str) -> None:
        self.ok = False
        number = self.table.column_number(column) if column else None
        self.problems.append(Problem(self.table.fil, self.line, number, column, message))

    def warn(self, column: str | None, message: str) -> None:
        number = self.table.column_number(column) if column else None
        self.problems.append(Problem(self.table.fil, self.line, number, column, message, varning=True))

    def value(
        self,
        column: str,
        parse: Callable[[str, str], T] | None = None,
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        index = self.context.index.get(column)
        text = self.cells[index - 1] if index is not None and index <= len(self.cells) else ""
        if not text:
            if required:
                self.error(column, "värde saknas; fältet måste fyllas i")
            return default
        if parse is None:
            return text
        if parse is parse_id and _plain_id(text):
            return text
        memo = self.context.memo
        key = (parse, column, text)
        hit = memo.get(key)
        if hit is None:
            try:
                hit = (True, parse(column, text))
            except ValidationError as exc:
                hit = (False, exc.message)
            if len(memo) < MEMO_MAX:
                memo[key] = hit
        if hit[0]:
            return hit[1]
        self.error(column, hit[1])
        return default

    def build(self, factory: Callable[..., T], **kwargs: Any) -> T | None:
        """Skapa modellobjektet; modellens egna valideringsfel blir fel på raden."""
        if not self.ok:
            return None
        try:
            return factory(**kwargs)
        except ValidationError as exc:
            self.error(exc.field if exc.field in self.table.header else None, exc.message)
            return None
