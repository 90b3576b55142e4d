"""End to end: finding, reading and validating the configuration, rule selection and the command line over it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

CLI = REPO / "fixtures" / "inputs" / "cli"
PRIVILEGED = CLI / "privileged.yaml"


def lint(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    proc = run_cli(*args, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def reported(proc: subprocess.CompletedProcess[str]) -> set[str]:
    """The rule ids of the findings in a text report."""
    return {line.split(": ", 1)[1].split()[0] for line in proc.stdout.splitlines() if ": ML" in line or ": EXA" in line}


def config_error(proc: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith("manifestlint: error: ")
    for part in parts:
        assert part in line, (part, line)
    return line


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder with the privileged Deployment in ``k8s/`` and a deeper working folder."""
    (tmp_path / "k8s" / "apps").mkdir(parents=True)
    shutil.copy(PRIVILEGED, tmp_path / "k8s" / "apps" / "web.yaml")
    return tmp_path


def catalogue() -> list[dict]:
    proc = lint("rules", "--format", "json")
    assert proc.returncode == 0
    return json.loads(proc.stdout)


# --- where the configuration comes from -----------------------------------------------------


def test_config_is_found_upward_from_the_working_directory(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101]\n")
    proc = lint(".", "--verbose", cwd=project / "k8s" / "apps")
    assert reported(proc) == {"ML101"}
    assert f"configuration: {project / '.manifestlint.yaml'}" in proc.stderr


def test_yml_spelling_is_found_too(project: Path) -> None:
    (project / ".manifestlint.yml").write_text("select: [ML102]\n")
    assert reported(lint("k8s", cwd=project)) == {"ML102"}


def test_pyproject_table(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.manifestlint]\nselect = ["ML102"]\n'
                                            '[tool.manifestlint.severity]\nML102 = "note"\n')
    proc = lint("k8s", cwd=project)
    assert reported(proc) == {"ML102"}
    assert "ML102 [note]" in proc.stdout
    assert proc.returncode == 0  # a note is below the default fail-on (warning)


def test_a_pyproject_without_our_table_is_passed_over(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101]\n")
    (project / "k8s" / "pyproject.toml").write_text('[tool.ruff]\nline-length = 100\n')
    assert reported(lint(".", cwd=project / "k8s")) == {"ML101"}


def test_manifestlint_yaml_wins_over_pyproject_in_the_same_folder(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101]\n")
    (project / "pyproject.toml").write_text('[tool.manifestlint]\nselect = ["ML102"]\n')
    assert reported(lint("k8s", cwd=project)) == {"ML101"}


def test_nearest_config_wins(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101]\n")
    (project / "k8s" / ".manifestlint.yaml").write_text("select: [ML102]\n")
    assert reported(lint(".", cwd=project / "k8s")) == {"ML102"}


def test_config_option_and_no_config(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101]\n")
    other = project / "ci.toml"
    other.write_text('[tool.manifestlint]\nselect = ["ML102"]\n')
    assert reported(lint("k8s", "--config", str(other), cwd=project)) == {"ML102"}
    unconfigured = lint("k8s", "--no-config", cwd=project)
    assert {"ML101", "ML102"} <= reported(unconfigured)


def test_a_toml_config_without_our_table_is_an_error(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.ruff]\nline-length = 100\n')
    config_error(lint("k8s", "--config", "pyproject.toml", cwd=project), "pyproject.toml",
                 "no [tool.manifestlint] table")


def test_empty_config_means_the_defaults(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("# nothing yet\n")
    assert {"ML101", "ML102"} <= reported(lint("k8s", cwd=project))


# --- bad configuration: exit 2, one line naming the setting --------------------------------


@pytest.mark.parametrize(("text", "parts"), [
    ("selct: [ML101]\n", ["unknown setting 'selct'", "did you mean 'select'?"]),
    ("extend_select: [ML101]\n", ["unknown setting 'extend_select'", "did you mean 'extend-select'?"]),
    ("failon: error\n", ["'failon'", "did you mean 'fail-on'?"]),
    ("limits: {max-dept: 3}\n", ["unknown setting 'limits.max-dept'", "did you mean 'max-depth'?"]),
    ("colour: always\n", ["unknown setting 'colour'", "known settings: select"]),
    ("fail-on: sometimes\n", ["'fail-on'", "'sometimes' is not one of error, warning, note, never"]),
    ("severity: {ML101: fatal}\n", ["'severity.ML101'", "'fatal' is not one of error, warning, note"]),
    ("select: 5\n", ["'select'", "not of type"]),
    ("select:\n", ["'select': null is not of type array or string"]),
    ("fail-on: false\n", ["'fail-on': false is not one of"]),
    ("exclude: charts\n", ["'exclude'", "not of type 'array'"]),
    ("jobs: 0\n", ["'jobs'"]),
    ("rules: {ML101: yes}\n", ["'rules.ML101'", "not of type 'object'"]),
    ("- select\n", ["must be a mapping"]),
    ("select: [ML101\n", [".manifestlint.yaml:", "not valid YAML"]),
    ("select: [NOPE1]\n", ["select: 'NOPE1' matches no rule id, name, checklist item or tag"]),
    ("ignore: [privileged-containr]\n", ["ignore: 'privileged-containr'", "did you mean 'privileged-container'?"]),
    ("extend-select: ['pss:baselin']\n", ["extend-select", "did you mean 'pss:baseline'?"]),
    ("severity: {ML999: note}\n", ["severity: 'ML999' is not a rule id or name"]),
    ("severity: {privileged-containr: note}\n", ["did you mean 'privileged-container'?"]),
    ("rules: {NOPE1: {}}\n", ["rules: 'NOPE1' is not a rule id or name"]),
    ("rules: {ML101: {strict: true}}\n", ["rules.ML101", "takes no options"]),
    ("rules: {image-registry-not-allowed: {allowed-registrys: [ghcr.io]}}\n",
     ["unknown option 'rules.image-registry-not-allowed.allowed-registrys'", "did you mean 'allowed-registries'?"]),
    ("rules: {ML205: {allowed-registries: ghcr.io}}\n", ["'rules.ML205.allowed-registries'", "not of type 'array'"]),
])
def test_bad_config_exits_2_naming_the_setting(project: Path, text: str, parts: list[str]) -> None:
    (project / ".manifestlint.yaml").write_text(text)
    line = config_error(lint("k8s", cwd=project), *parts)
    assert ".manifestlint.yaml" in line  # the file is named, so the user knows where to look


def test_bad_pyproject_value_names_the_file(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.manifestlint]\nfail-on = "sometimes"\n')
    config_error(lint("k8s", cwd=project), "pyproject.toml", "'fail-on'", "'sometimes'")


def test_invalid_toml(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.manifestlint]\nselect = [\n')
    config_error(lint("k8s", cwd=project), "pyproject.toml", "not valid TOML")


def test_rules_listing_reports_bad_config_too(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("selct: [ML101]\n")
    config_error(lint("rules", cwd=project), "did you mean 'select'?")


# --- selection -----------------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["ML101", "ml101", "privileged-container"])
def test_select_one_rule_by_id_or_name(project: Path, selector: str) -> None:
    assert reported(lint("k8s", "--no-config", "--select", selector, cwd=project)) == {"ML101"}


@pytest.mark.parametrize(("selector", "wanted"), [
    ("ML1", lambda r: r["id"].startswith("ML1")),
    ("WL-5", lambda r: "WL-5" in r["checklist"]),
    ("wl-5", lambda r: "WL-5" in r["checklist"]),
    ("pss:baseline", lambda r: "pss:baseline" in r["tags"]),
    ("security", lambda r: "security" in r["tags"]),
])
def test_select_by_prefix_checklist_item_and_tag(project: Path, selector: str, wanted) -> None:
    allowed = {r["id"] for r in catalogue() if wanted(r)}
    found = reported(lint("k8s", "--no-config", "--select", selector, cwd=project))
    assert {"ML101", "ML102"} <= found <= allowed


def test_select_in_config_by_comma_separated_string(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text('select: "ML101, host-namespaces"\n')
    assert reported(lint("k8s", cwd=project)) == {"ML101", "ML102"}


def test_ignore_and_extend_select(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [WL-5]\nignore: [ML101, ML1]\nextend-select: [ML102]\n")
    # extend-select adds, then ignore removes: ML102 is ignored through the ML1 prefix
    assert reported(lint("k8s", cwd=project)) == set()


def test_off_by_default_rule_with_options(project: Path) -> None:
    assert "ML205" not in reported(lint("k8s", "--no-config", cwd=project))
    (project / ".manifestlint.yaml").write_text(
        "select: [ML101]\nextend-select: [image-registry-not-allowed]\n"
        "rules:\n  image-registry-not-allowed:\n    allowed-registries: [ghcr.io/acme]\n")
    proc = lint("k8s", cwd=project)
    assert reported(proc) == {"ML101", "ML205"}
    allowed = project / "allowed.yaml"
    allowed.write_text("select: [ML205]\nrules: {ML205: {allowed-registries: [registry.example.com]}}\n")
    assert reported(lint("k8s", "--config", str(allowed), cwd=project)) == set()


def test_severity_override_by_name(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101, ML102]\nseverity: {host-namespaces: warning}\n")
    proc = lint("k8s", cwd=project)
    assert "ML102 [warning]" in proc.stdout and "ML101 [error]" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "Found 2 findings (1 error, 1 warning) in 1 file, 1 document."


def test_fail_on_from_config_and_the_command_line_over_it(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101, ML102]\nseverity: {ML101: warning, ML102: warning}\n"
                                                "fail-on: error\n")
    assert lint("k8s", cwd=project).returncode == 0
    assert lint("k8s", "--fail-on", "warning", cwd=project).returncode == 1
    (project / ".manifestlint.yaml").write_text("select: [ML101]\nfail-on: never\n")
    assert lint("k8s", cwd=project).returncode == 0
    assert lint("k8s", "--fail-on", "error", cwd=project).returncode == 1


# --- the command line over the configuration ------------------------------------------------


def test_cli_select_replaces_config_selection_and_its_ignores(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML102]\nignore: [ML101]\n")
    assert reported(lint("k8s", cwd=project)) == {"ML102"}
    assert reported(lint("k8s", "--select", "ML101", cwd=project)) == {"ML101"}


def test_cli_extend_select_turns_back_on_a_rule_the_config_ignores(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101, ML102]\nignore: [ML101]\n")
    assert reported(lint("k8s", "--extend-select", "ML101", cwd=project)) == {"ML101", "ML102"}


def test_cli_ignore_adds_to_the_config(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101, ML102]\n")
    assert reported(lint("k8s", "--ignore", "host-namespaces", cwd=project)) == {"ML101"}


def test_selectors_repeat_and_split_at_commas(project: Path) -> None:
    proc = lint("k8s", "--no-config", "--select", "ML101", "--select", "ML102,ML103", cwd=project)
    assert reported(proc) == {"ML101", "ML102"}


def test_unknown_selector_on_the_command_line_names_the_option(project: Path) -> None:
    (project / ".manifestlint.yaml").write_text("select: [ML101]\n")
    line = config_error(lint("k8s", "--ignore", "ML9999", cwd=project), "--ignore: 'ML9999'")
    assert ".manifestlint.yaml" not in line


def test_a_valid_config_does_not_import_jsonschema(project: Path) -> None:
    """jsonschema costs ~50 ms to import: jsonschema-rs checks a valid file, jsonschema explains a bad one."""
    (project / ".manifestlint.yaml").write_text("select: [ML101]\nseverity: {ML101: warning}\nexclude: [testdata]\n")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "manifestlint", "k8s"], cwd=project,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "jsonschema" not in imported
