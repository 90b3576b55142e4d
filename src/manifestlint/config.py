"""Find, read and validate the configuration (``.manifestlint.yaml`` or ``[tool.manifestlint]``).

The format is ``schemas/config.schema.json``; a bad key or value is a ``ConfigError`` that names
the file and the setting, and the CLI exits 2 with it.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from manifestlint.discovery import anchor
from manifestlint.loader.raw import Limits
from manifestlint.model import Severity

if TYPE_CHECKING:
    from manifestlint.registry import Catalogue

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
    kubernetes_version: str | None = None
    schema_dirs: list[str] = field(default_factory=list)
    chart_dirs: list[str] = field(default_factory=list)
    scope: str = "default"  # "cluster": the input is the whole cluster (namespace-level and inventory rules)


def discover(start: Path) -> Path | None:
    """The nearest config file at or above ``start``: ``.manifestlint.yaml`` or a pyproject with our table."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_our_table(pyproject):
            return pyproject
    return None


def _has_our_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_bytes()
    except OSError:
        return True  # let `load` report that it cannot be read
    return b"[tool.manifestlint" in text or b"tool.manifestlint" in text and b"[tool]" in text


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
        tool = data.get("tool")
        table = tool.get("manifestlint") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{path}: no [tool.manifestlint] table")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: tool.manifestlint must be a table of settings")
        return table
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
    from manifestlint._resources import schema

    config_schema = schema("config.schema.json")
    if _is_valid(config_schema, raw):
        return
    import jsonschema  # its errors say what is wrong; ~50 ms to import, so only for a bad file

    errors = sorted(jsonschema.Draft202012Validator(config_schema).iter_errors(raw),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator != "additionalProperties"))
    if errors:
        raise ConfigError(f"{path}: {_describe(errors[0])}")


def _is_valid(schema: dict[str, Any] | Any, instance: Any) -> bool:
    """A fast yes/no from jsonschema-rs; False also when it cannot decide (the caller then asks jsonschema)."""
    try:
        import jsonschema_rs

        return bool(jsonschema_rs.Draft202012Validator(schema).is_valid(instance))
    except Exception:  # a schema or value jsonschema-rs does not take: let jsonschema judge
        return False


def check_rule_references(settings: Settings, catalogue: Catalogue) -> None:
    """``severity`` and ``rules`` must name known rules, and each rule's options must fit its schema."""
    where = f"{settings.source}: " if settings.source else ""
    known = [word for rule in catalogue.rules.values() for word in (rule.meta.id, rule.meta.name)]
    for setting, keys in (("severity", settings.severity), ("rules", settings.rule_options)):
        for key in keys:
            if catalogue.find(key) is None:
                close = difflib.get_close_matches(key, known, n=1) or difflib.get_close_matches(key.upper(), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else "; `manifestlint rules` lists them"
                raise ConfigError(f"{where}{setting}: {key!r} is not a rule id or name{hint}")
    for key, options in settings.rule_options.items():
        rule = catalogue.find(key)
        assert rule is not None
        if not rule.meta.options_schema:
            if options:
                raise ConfigError(f"{where}rules.{key}: rule {rule.meta.id} ({rule.meta.name}) takes no options")
            continue
        if _is_valid(rule.meta.options_schema, options):
            continue
        import jsonschema  # only here: ~50 ms to import

        errors = list(jsonschema.Draft202012Validator(rule.meta.options_schema).iter_errors(options))
        if errors:
            error = min(errors, key=lambda e: (len(e.absolute_path), e.validator != "additionalProperties"))
            raise ConfigError(f"{where}{_describe(error, prefix=f'rules.{key}', noun='option')}")


def _describe(error: Any, prefix: str = "", noun: str = "setting") -> str:
    """One line for a schema error: the setting's dotted name, what is wrong, and a close match."""
    where = ".".join([prefix] * bool(prefix) + [str(p) for p in error.absolute_path])
    if error.validator == "additionalProperties":
        known = list(error.schema.get("properties") or {})
        unknown = [k for k in error.instance if k not in known]
        if unknown:
            name = f"{where}.{unknown[0]}" if where else unknown[0]
            close = difflib.get_close_matches(unknown[0].replace("_", "-"), known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known {noun}s: {', '.join(known) or 'none'}"
            return f"unknown {noun} {name!r}{hint}"
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            return _describe(deepest, prefix, noun)
        types = [e.validator_value for e in error.context if e.validator == "type"]
        if types:
            return f"{noun} {where!r}: {_show(error.instance)} is not of type {' or '.join(map(str, types))}"
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"{noun} {where!r}: {_show(error.instance)} is not one of {allowed}"
    return f"{noun} {where or '(top level)'!r}: {error.message}"


def _show(value: Any) -> str:
    """A value as the user wrote it in YAML or TOML: ``null`` and ``true``, not Python's None and True."""
    if isinstance(value, str):
        return repr(value)
    import json

    return json.dumps(value, default=str)


def _settings(raw: dict[str, Any], path: Path) -> Settings:
    limits = raw.get("limits", {})
    defaults = Limits()
    base = path.resolve().parent
    settings = Settings(
        source=path,
        select=_selectors(raw["select"]) if "select" in raw else None,
        extend_select=_selectors(raw.get("extend-select", [])),
        ignore=_selectors(raw.get("ignore", [])),
        severity={key: Severity.parse(value) for key, value in raw.get("severity", {}).items()},
        rule_options={key: dict(value) for key, value in raw.get("rules", {}).items()},
        exclude=[anchor(pattern, base) for pattern in raw.get("exclude", [])],
        fail_on=None if raw.get("fail-on") == "never" else Severity.parse(raw.get("fail-on", "warning")),
        jobs=raw.get("jobs"),
        disable_plugins=list(raw.get("disable-plugins", [])),
        kubernetes_version=raw.get("kubernetes-version"),
        schema_dirs=[str(base / d) for d in raw.get("schema-dirs", [])],
        chart_dirs=[str(base / d) for d in raw.get("chart-dirs", [])],
        scope=raw.get("scope", "default"),
        limits=Limits(
            max_nodes=limits.get("max-nodes", defaults.max_nodes),
            max_depth=limits.get("max-depth", defaults.max_depth),
            max_file_bytes=limits.get("max-file-size", defaults.max_file_bytes),
        ),
    )
    return settings


def _selectors(value: str | list[str]) -> list[str]:
    """A selector list; a string is split at commas (``select: "ML1, WL-3"``)."""
    items = value.split(",") if isinstance(value, str) else value
    return [item.strip() for item in items if item.strip()]
