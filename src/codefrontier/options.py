"""Config fields that are also command-line flags: the one place for a default and its help text.

A frozen config declares each field with `opt("help text", default)`. A command builds its typer
options with `config_option(Config, "field")` — default None, help = the field's text plus its
default — and passes the flags it was given (`given(...)`: the non-None ones) to
`dataclasses.replace(Config(), ...)` or the constructor, so a default is written once, where the
config validates itself.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, field, fields
from typing import Any


def opt(text: str, default: Any = MISSING) -> Any:
    """A dataclass field with its CLI help text (`MISSING`: a required field)."""
    if default is MISSING:
        return field(metadata={"help": text})
    return field(default=default, metadata={"help": text})


def _field(cls: type, name: str) -> Field[Any]:
    found = {f.name: f for f in fields(cls)}
    if name not in found:
        raise KeyError(f"{cls.__name__} has no field {name!r}")
    return found[name]


def field_default(cls: type, name: str) -> Any:
    """The default of field `name` of dataclass `cls` (None for a required field)."""
    f = _field(cls, name)
    if f.default is not MISSING:
        return f.default
    return f.default_factory() if f.default_factory is not MISSING else None


def field_help(cls: type, name: str) -> str:
    """The field's help text followed by its default, as the CLI shows it."""
    default = field_default(cls, name)
    text = str(_field(cls, name).metadata.get("help", ""))
    return text + ("" if default is None or default == () else f" (default: {_shown(default)})")


def _shown(value: Any) -> str:
    """A default as a user would type it: enums by value, tuples comma-separated, booleans lower-case."""
    if isinstance(value, tuple):
        return ",".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(getattr(value, "value", value))


def config_option(cls: type, name: str, *flags: str, **kw: Any) -> Any:
    """typer.Option(None, flag, help=<field help> (default: <field default>)) for field `name` of `cls`."""
    import typer

    return typer.Option(None, *(flags or ("--" + name.replace("_", "-"),)), help=field_help(cls, name), **kw)


def given(**options: Any) -> dict[str, Any]:
    """The options a command was actually given (typer leaves the others at None)."""
    return {k: v for k, v in options.items() if v is not None}
