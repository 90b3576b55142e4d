"""Find, read and validate the configuration (``.manifestlint.yaml`` or ``[tool.manifestlint]``).

The format is ``schemas/config.schema.json``; a bad key or value is a ``ConfigError`` that names
the file and the setting, and the CLI exits 2 with it.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from manifestlint.loader.yaml_events import Limits
from manifestlint.model import Severity

CONFIG_FILES = (".manifestlint.yaml", ".manifestlint.yml")


class ConfigError(Exception):
    """A configuration problem the user must fix; the message says where and what."""


@dataclass(slots=True)
class Settings:
    """The effective configuration of one run."""

    source: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    fail_on: Severity | None = Severity.WARNING
    jobs: int | None = None
    disable_plugins: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)


def discover(start: Path) -> Path | None:
    """The nearest config file at or above ``start``: ``.manifestlint.yaml`` or a pyproject with our table."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and b"[tool.manifestlint" in pyproject.read_bytes():
            return pyproject
    return None


def load(path: Path | None) -> Settings:
    """Read and validate ``path`` (None: the defaults)."""
    if path is None:
        return Settings()
    raw = _read(path)
    _validate(raw, path)
    return _settings(raw, path)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib
        try:
            data = tomllib.loads(text.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        table = data.get("tool", {}).get("manifestlint", {})
        return table if isinstance(table, dict) else {}
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    return data


def _validate(raw: dict[str, Any], path: Path) -> None:
    import jsonschema

    from manifestlint._resources import schema

    config_schema = schema("config.schema.json")
    errors = sorted(jsonschema.Draft202012Validator(config_schema).iter_errors(raw), key=lambda e: list(e.path))
    if not errors:
        return
    error = errors[0]
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        known = list(config_schema.get("properties", {})) if not error.absolute_path else []
        unknown = [k for k in (error.instance or {}) if k not in (error.schema.get("properties") or {})]
        hint = ""
        if unknown and known:
            close = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} at {where}{hint}" if unknown else
                          f"{path}: {error.message}")
    raise ConfigError(f"{path}: setting {where}: {error.message}")


def _settings(raw: dict[str, Any], path: Path) -> Settings:
    limits = raw.get("limits", {})
    settings = Settings(
        source=path,
        select=raw.get("select"),
        extend_select=list(raw.get("extend-select", [])),
        ignore=list(raw.get("ignore", [])),
        severity={key: Severity.parse(value) for key, value in raw.get("severity", {}).items()},
        rule_options={key: dict(value) for key, value in raw.get("rules", {}).items()},
        exclude=list(raw.get("exclude", [])),
        fail_on=None if raw.get("fail-on") == "never" else Severity.parse(raw.get("fail-on", "warning")),
        jobs=raw.get("jobs"),
        disable_plugins=list(raw.get("disable-plugins", [])),
        limits=Limits(
            max_nodes=limits.get("max-nodes", Limits.max_nodes),
            max_depth=limits.get("max-depth", Limits.max_depth),
            max_file_bytes=limits.get("max-file-size", Limits.max_file_bytes),
        ),
    )
    return settings
