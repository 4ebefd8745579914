"""Läser fält ur en tabellrad och samlar alla fel på raden (inte bara det första)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bemanning.io.problems import Problem
from bemanning.io.tabular import Table
from bemanning.model.errors import ValidationError

T = TypeVar("T")


class RowReader:
    def __init__(self, table: Table, line: int, cells: tuple[str, ...], problems: list[Problem]) -> None:
        self.table = table
        self.line = line
        self.cells = cells
        self.problems = problems
        self.ok = True

    def has(self, column: str) -> bool:
        return column in self.table.header

    def raw(self, column: str) -> str:
        index = self.table.column_number(column)
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
        text = self.raw(column)
        if not text:
            if required:
                self.error(column, "värde saknas; fältet måste fyllas i")
            return default
        if parse is None:
            return text
        try:
            return parse(column, text)
        except ValidationError as exc:
            self.error(column, exc.message)
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
