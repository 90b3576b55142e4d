"""Plugins: built-ins and third-party packages load the same way, can be blocked, and fail softly."""

from __future__ import annotations

import json
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from manifestlint import plugins
from manifestlint.config import Settings
from manifestlint.registry import collect_rules
from manifestlint.runner import Options, load_catalogue, prepare, run
from manifestlint.testing import check_case, discover_cases

EXAMPLE = REPO / "examples" / "manifestlint-plugin-example"
DEPLOYMENT = EXAMPLE / "fixtures" / "rules" / "EXA001" / "fail" / "no-owner.yaml"


def _example_installed() -> bool:
    return any(ep.name == "example" for ep in plugins.entry_points(group=plugins.ENTRY_POINT_GROUP))


needs_example = pytest.mark.skipif(not _example_installed(), reason="examples/manifestlint-plugin-example not installed"
                                   " (.ci/run installs it)")


@needs_example
def test_example_plugin_rule_is_listed() -> None:
    proc = run_cli("rules", "--format", "json")
    rules = {r["id"]: r for r in json.loads(proc.stdout)}
    assert rules["EXA001"]["plugin"] == "example" and rules["EXA001"]["checklist"] == ["OP-2"]


@needs_example
def test_example_plugin_finds_and_can_be_blocked(tmp_path: Path) -> None:
    found = run_cli(str(DEPLOYMENT), "--no-config", "--select", "EXA001")
    assert found.returncode == 1 and "EXA001 [warning] add the annotation `example.com/owner`" in found.stdout
    blocked = run_cli(str(DEPLOYMENT), "--no-config", "--disable-plugin", "example", "--select", "ML1")
    # Match the rule id as reported ("EXA001 [warning]"): the fixture's path contains "EXA001" too,
    # and other rules may report on that file.
    assert "EXA001 [" not in blocked.stdout
    config = tmp_path / ".manifestlint.yaml"
    config.write_text("disable-plugins: [example]\n")
    via_config = run_cli(str(DEPLOYMENT), "--config", str(config))
    assert "EXA001 [" not in via_config.stdout and "Traceback" not in via_config.stderr


@needs_example
def test_example_plugin_fixtures_pass_the_public_harness() -> None:
    catalogue = load_catalogue(Settings())
    for case in discover_cases(EXAMPLE / "fixtures" / "rules"):
        settings = Settings(select=[case.rule_id])
        report = run(Options(paths=[str(case.path)], no_config=True), settings, catalogue, prepare(settings, catalogue))
        assert not check_case(case, report.findings), case.id


def test_plugin_that_fails_to_import_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = EntryPoint(name="broken", value="manifestlint_no_such_module_xyz", group=plugins.ENTRY_POINT_GROUP)
    monkeypatch.setattr(plugins, "entry_points", lambda group: [broken])
    pm, notes = plugins.plugin_manager()
    assert [n.kind for n in notes] == ["plugin"]
    assert "'broken'" in notes[0].message and "ModuleNotFoundError" in notes[0].message
    assert collect_rules(pm).rules, "the built-in rules still load"


def test_builtin_bundle_can_be_blocked() -> None:
    pm, _ = plugins.plugin_manager(blocked=["pod_security"], load_entry_points=False)
    rules = collect_rules(pm).rules
    assert "ML101" not in rules and "ML001" in rules


def test_builtins_register_through_pluggy() -> None:
    pm, _ = plugins.plugin_manager(load_entry_points=False)
    assert set(plugins.BUILTIN_PLUGINS) <= {pm.get_name(p) for p in pm.get_plugins()}


def test_rule_with_bad_metadata_is_skipped_not_fatal() -> None:
    from manifestlint.hookspecs import hookimpl
    from manifestlint.rule import Rule, define

    @define(id="bad id", name="Bad", title="t", severity="warning", checklist=["NOPE-1"])
    class BadRule(Rule):
        """## What it does\nx"""

    class BadPlugin:
        @hookimpl
        def manifestlint_rules(self):
            return [BadRule]

    pm, _ = plugins.plugin_manager(load_entry_points=False)
    pm.register(BadPlugin(), name="bad")
    catalogue = collect_rules(pm)
    assert "bad id" not in catalogue.rules
    assert any("rule skipped" in n.message for n in catalogue.notifications)


def test_crashing_rule_is_a_notification_and_the_run_goes_on(tmp_path: Path) -> None:
    from manifestlint.engine import lint_file
    from manifestlint.loader import Limits, load_bytes
    from manifestlint.rule import Rule, define

    @define(id="TST901", name="always-crashes", title="Crashes", severity="warning", checklist=["WL-5"])
    class Crashes(Rule):
        """## What it does\nx"""

        def check(self, doc, ctx):
            raise RuntimeError("boom")

    catalogue = load_catalogue(Settings())
    catalogue.rules["TST901"] = Crashes()
    ruleset = prepare(Settings(select=["TST901", "ML101"]), catalogue)
    text = DEPLOYMENT.read_bytes().replace(b"image: web:1.0", b"image: web:1.0\n          securityContext: {privileged: true}")
    result = lint_file(load_bytes("d.yaml", text, Limits()), ruleset)
    assert [f.rule_id for f in result.findings] == ["ML101"]
    crash = [n for n in result.notifications if n.kind == "rule-crash"]
    assert len(crash) == 1 and "TST901" in crash[0].message and "Deployment web in d.yaml" in crash[0].message
    assert "RuntimeError: boom" in crash[0].message
