"""The one codec of the report's snapshot: `dump` to the JSON kept in `AnnualReport.snapshot`,
`load` back to the same `Content`, both driven by the dataclasses of `content`; versions and
`SnapshotError` for what this code cannot read."""

import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .content import Content
from .upgrade import upgrade

# The real classes, kept where freezegun (which swaps the module attributes `date` and `datetime`
# in tests) does not reach, so that the annotations below are recognised under frozen time too.
_REAL = {"date": date, "datetime": datetime}


SCHEMA_VERSION = 3


# Versions `load` can read; 1 is the unversioned shape written before this module.
READABLE_VERSIONS = (1, 2, 3)


class SnapshotError(ValueError):
    """A stored report content this code cannot read: an unknown version or broken data."""


def dump(content: Content) -> dict:
    """`content` as JSON-safe data, with the schema version: what `AnnualReport.snapshot` holds."""
    return {"schema_version": SCHEMA_VERSION, **encode(content)}


def load(data: object) -> Content:
    """The `Content` of a stored snapshot (any version in `READABLE_VERSIONS`).

    Raises `SnapshotError` for a version this code does not know or data that does not fit.
    """
    if not isinstance(data, dict):
        raise SnapshotError(f"a report snapshot is an object, not {type(data).__name__}")
    version = data.get("schema_version", 1)
    if version not in READABLE_VERSIONS:
        raise SnapshotError(
            f"report snapshot version {version!r} is not one this code reads {READABLE_VERSIONS}"
        )
    content = decode(Content, {k: v for k, v in data.items() if k != "schema_version"})
    # Versions 1 and 2 hold the Dutch codes stored before issue 19 renamed them (upgrade.py).
    return upgrade(content) if version < 3 else content


# Types written as they are, and the field names per dataclass (filled on first use): a big
# year's snapshot holds hundreds of thousands of values, so `encode` looks a value's exact type
# up first and asks the slower questions only for what it has not seen.
_AS_IS = frozenset({str, int, float, bool, type(None)})
_ISO = frozenset({date, datetime})
_FIELDS: dict[type, tuple[str, ...]] = {}


def encode(value: object) -> object:
    """A dataclass (or a value inside one) as JSON-safe data."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    names = _FIELDS.get(kind)
    if names is not None:
        return {name: encode(getattr(value, name)) for name in names}
    if kind is Decimal:
        return str(value)
    if kind is tuple or kind is list:
        return [encode(item) for item in value]
    if kind in _ISO:
        return value.isoformat()
    return _encode_other(value)


def _encode_other(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
        return {name: encode(getattr(value, name)) for name in names}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, _REAL["date"]):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a report snapshot")


def decode(kind, data: object):
    """`data` (as written by `encode`) read back as `kind`; raises `SnapshotError`."""
    try:
        return _reader(kind)(data)
    except SnapshotError as error:
        raise SnapshotError(f"the report snapshot does not fit: content{error}") from error
    except (TypeError, ValueError, InvalidOperation) as error:
        raise SnapshotError(f"the report snapshot does not fit: {error}") from error


# A reader per type, made once from the annotations: a big year's snapshot holds thousands of
# lines, and the page reads it on every view.
_Reader = typing.Callable[[object], object]


@functools.cache
def _reader(kind) -> _Reader:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in args if arg is not type(None)]
        read_inner = _reader(inner)
        return lambda data: None if data is None else read_inner(data)
    if origin is tuple:
        return _tuple_reader(_reader(args[0]))
    if dataclasses.is_dataclass(kind):
        return _dataclass_reader(kind)
    if kind is Decimal:
        return _checked(str, Decimal)
    if kind is _REAL["datetime"]:
        return _checked(str, _REAL["datetime"].fromisoformat)
    if kind is _REAL["date"]:
        return _checked(str, _REAL["date"].fromisoformat)
    if kind is int:
        return _whole_number
    if kind in (bool, str):
        return _checked(kind, None)
    raise TypeError(f"the snapshot has no way to read {kind!r}")  # pragma: no cover


def _checked(json_type: type, convert) -> _Reader:
    def read(data):
        if not isinstance(data, json_type):
            raise SnapshotError(
                f": expected {json_type.__name__}, found {type(data).__name__} {data!r:.40}"
            )
        if convert is None:
            return data
        try:
            return convert(data)
        except (ValueError, InvalidOperation) as error:
            raise SnapshotError(f": cannot read {data!r:.40}") from error

    return read


def _whole_number(data):
    if not isinstance(data, int) or isinstance(data, bool):
        raise SnapshotError(f": expected a whole number, found {data!r:.40}")
    return data


def _tuple_reader(read_item: _Reader) -> _Reader:
    def read(data):
        if type(data) is not list:
            raise SnapshotError(f": expected a list, found {type(data).__name__}")
        items = []
        for index, item in enumerate(data):
            try:
                items.append(read_item(item))
            except SnapshotError as error:
                raise SnapshotError(f"[{index}]{error}") from error
        return tuple(items)

    return read


def _dataclass_reader(kind) -> _Reader:
    hints = typing.get_type_hints(kind)
    fields = [
        (
            f.name,
            _reader(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(kind)
    ]

    def read(data):
        if type(data) is not dict:
            raise SnapshotError(f": expected an object, found {type(data).__name__}")
        values = {}
        for name, read_field, required in fields:
            if name in data:
                try:
                    values[name] = read_field(data[name])
                except SnapshotError as error:
                    raise SnapshotError(f".{name}{error}") from error
            elif required:
                raise SnapshotError(f".{name} is missing")
        # Keys no field knows (an older shape kept more) are left out: they are not shown.
        return kind(**values)

    return read
