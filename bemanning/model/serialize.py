"""Omvandling mellan modellobjekt och JSON-säkra poster (för händelselogg och export)."""

from __future__ import annotations

import enum
import types
import typing
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


def to_record(obj: Any) -> Any:
    if attrs.has(type(obj)):
        return {f.name: to_record(getattr(obj, f.name)) for f in attrs.fields(type(obj))}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, datetime):
        return obj.isoformat(timespec="seconds")
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_record(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_record(v) for k, v in obj.items()}
    return obj


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp) or (Any,)
        return tuple(_convert(inner, v) for v in value)
    if isinstance(tp, type):
        if attrs.has(tp):
            return from_record(tp, value)
        if issubclass(tp, enum.Enum):
            return tp(value)
        if tp is date:
            return date.fromisoformat(value)
        if tp is datetime:
            return datetime.fromisoformat(value)
        if tp is float:
            return float(value)
    return value


def from_record(cls: type[T], record: dict[str, Any]) -> T:
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for field in attrs.fields(cls):
        if field.name in record:
            kwargs[field.name] = _convert(hints.get(field.name, Any), record[field.name])
    return cls(**kwargs)
