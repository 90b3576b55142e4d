"""End to end: the command line as a user meets it (entry points, text format, colour, exit codes, stdin)."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

import manifestlint

CLI = REPO / "fixtures" / "inputs" / "cli"
PRIVILEGED = CLI / "privileged.yaml"
CLEAN = CLI / "clean.yaml"
SELECT = ("--no-config", "--select", "ML101,ML102")  # independent of rules added later and of plugins
ANSI = "\033["


def lint(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    proc = run_cli(*args, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def assert_usage_error(proc: subprocess.CompletedProcess[str], *parts: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr that says what is wrong."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("manifestlint: error: "), lines
    for part in parts:
        assert part in lines[0], (part, lines[0])
    assert proc.stdout == ""


# --- entry points ------------------------------------------------------------------------------


def test_version() -> None:
    proc = lint("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"manifestlint {manifestlint.__version__}\n"


def test_the_installed_script_runs() -> None:
    script = shutil.which("manifestlint", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the manifestlint script is not installed beside this interpreter")
    proc = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("manifestlint ")


def test_check_is_an_alias() -> None:
    plain = lint(str(PRIVILEGED), *SELECT)
    alias = lint("check", str(PRIVILEGED), *SELECT)
    assert plain.returncode == alias.returncode == 1
    assert plain.stdout == alias.stdout


def test_help_shows_usage_and_exit_codes() -> None:
    proc = lint("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("Usage: manifestlint [OPTIONS] [PATH]...")
    assert "Exit status: 0" in proc.stdout
    assert "--no-no-config" not in proc.stdout and "list[str]" not in proc.stdout


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("check", "--help")])
def test_version_and_help_import_little(args: tuple[str, ...]) -> None:
    """jsonschema alone costs ~50 ms to import; the engine, loader and reporters are not needed either."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "manifestlint", *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    heavy = {"jsonschema", "yaml", "sarif_om", "manifestlint.engine", "manifestlint.runner",
             "manifestlint.config", "manifestlint.loader", "manifestlint.reporters"}
    assert not imported & heavy, sorted(imported & heavy)


# --- the text format ---------------------------------------------------------------------------


def test_text_format_lines_and_summary() -> None:
    proc = lint("fixtures/inputs/cli/privileged.yaml", *SELECT, cwd=REPO)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == ("fixtures/inputs/cli/privileged.yaml:10:7: ML102 [error] `hostNetwork: true` shares the "
                        "node's namespace with the pod: remove it (or set it to false) (Deployment prod/web)")
    assert re.fullmatch(r"fixtures/inputs/cli/privileged\.yaml:15:13: ML101 \[error\] container 'app' runs "
                        r"privileged: .+ \(Deployment prod/web\)", lines[1])
    assert lines[2] == "Found 2 findings (2 errors) in 1 file, 1 document."
    assert len(lines) == 3
    assert proc.stderr == ""


def test_paths_are_relative_to_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    shutil.copy(PRIVILEGED, tmp_path / "k8s" / "app.yaml")
    inside = lint("k8s", *SELECT, cwd=tmp_path)
    assert inside.stdout.startswith("k8s/app.yaml:10:7: ML102")
    absolute = lint(str(tmp_path / "k8s"), *SELECT, cwd=tmp_path)
    assert absolute.stdout.startswith("k8s/app.yaml:10:7: ML102")
    rooted = lint(str(tmp_path / "k8s"), *SELECT, "--root", str(tmp_path / "k8s"), cwd=REPO)
    assert rooted.stdout.startswith("app.yaml:10:7: ML102")


def test_quiet_prints_findings_only(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("title: not kubernetes\n")
    proc = lint(str(PRIVILEGED), str(tmp_path / "notes.yaml"), *SELECT, "--quiet")
    assert proc.returncode == 1
    assert [line.split(": ")[1].split()[0] for line in proc.stdout.splitlines()] == ["ML102", "ML101"]
    clean = lint(str(CLEAN), *SELECT, "-q")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


def test_quiet_and_verbose_conflict() -> None:
    assert_usage_error(lint(str(CLEAN), "-q", "-v"), "--quiet", "--verbose")


def test_output_file_and_sarif_beside_it(tmp_path: Path) -> None:
    out, sarif = tmp_path / "out" / "report.txt", tmp_path / "report.sarif"
    proc = lint(str(PRIVILEGED), *SELECT, "--output", str(out), "--sarif-file", str(sarif), "--color", "always")
    assert proc.returncode == 1 and proc.stdout == ""
    text = out.read_text()
    assert "ML101 [error]" in text and ANSI not in text  # never colour into a file
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["ML101", "ML102"]


# --- colour ------------------------------------------------------------------------------------


def test_color_always_and_never() -> None:
    always = lint(str(PRIVILEGED), *SELECT, "--color", "always")
    assert ANSI in always.stdout
    never = lint(str(PRIVILEGED), *SELECT, "--color", "never")
    assert ANSI not in never.stdout


def test_no_colour_into_a_pipe_by_default() -> None:
    proc = lint(str(PRIVILEGED), *SELECT)
    assert ANSI not in proc.stdout


def test_color_always_beats_no_color() -> None:
    proc = lint(str(PRIVILEGED), *SELECT, "--color", "always", env={"NO_COLOR": "1"})
    assert ANSI in proc.stdout


def run_on_terminal(*args: str, env: dict[str, str] | None = None) -> str:
    """Run the CLI with a pseudo-terminal as stdout; return what it printed there."""
    primary, secondary = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update({"TERM": "xterm", **(env or {})})
    proc = subprocess.Popen([sys.executable, "-m", "manifestlint", *args], stdout=secondary,
                            stderr=subprocess.PIPE, cwd=REPO, env=full_env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    _, stderr = proc.communicate(timeout=60)
    assert b"Traceback" not in stderr
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color() -> None:
    assert ANSI in run_on_terminal(str(PRIVILEGED), *SELECT)
    assert ANSI not in run_on_terminal(str(PRIVILEGED), *SELECT, env={"NO_COLOR": "1"})
    assert ANSI in run_on_terminal(str(PRIVILEGED), *SELECT, env={"NO_COLOR": ""})  # only a non-empty value counts
    assert ANSI not in run_on_terminal(str(PRIVILEGED), *SELECT, env={"TERM": "dumb"})
    assert ANSI not in run_on_terminal(str(PRIVILEGED), *SELECT, "--color", "never")


# --- exit codes --------------------------------------------------------------------------------


def test_exit_0_when_clean_and_1_on_findings() -> None:
    assert lint(str(CLEAN), *SELECT).returncode == 0
    assert lint(str(PRIVILEGED), *SELECT).returncode == 1


def test_fail_on(tmp_path: Path) -> None:
    config = tmp_path / "notes.yaml"
    config.write_text("select: [ML101, ML102]\nseverity: {ML101: note, ML102: warning}\n")
    base = (str(PRIVILEGED), "--config", str(config))
    assert lint(*base).returncode == 1  # default: warning
    assert lint(*base, "--fail-on", "error").returncode == 0
    assert lint(*base, "--ignore", "ML102").returncode == 0  # only a note is left
    assert lint(*base, "--ignore", "ML102", "--fail-on", "note").returncode == 1
    never = lint(*base, "--fail-on", "never")
    assert never.returncode == 0 and "ML101 [note]" in never.stdout


@pytest.mark.parametrize(("args", "parts"), [
    (("--bogus",), ["No such option: --bogus"]),
    (("--selct", "ML101"), ["--selct", "--select"]),
    (("--format", "xml"), ["--format", "'xml'"]),
    (("--format",), ["--format", "requires an argument"]),
    (("--fail-on", "sometimes"), ["--fail-on", "'sometimes'"]),
    (("--jobs", "0"), ["--jobs"]),
    (("--color", "sometimes"), ["--color"]),
    (("--select", "NOPE1"), ["--select", "'NOPE1'", "matches no rule"]),
    (("--select", "privileged-containr"), ["did you mean 'privileged-container'?"]),
    (("--ignore", "WL-55"), ["--ignore", "did you mean 'WL-5'?"]),
    (("--extend-select", "pss:basline"), ["--extend-select", "'pss:basline'"]),
    (("--config", "no-such-config.yaml"), ["no-such-config.yaml", "not found"]),
    (("--config", "x.yaml", "--no-config"), ["--config", "--no-config"]),
    (("--disable-plugin",), ["--disable-plugin"]),
])
def test_usage_errors_exit_2_with_one_line(args: tuple[str, ...], parts: list[str]) -> None:
    assert_usage_error(lint(str(CLEAN), *args), *parts)


def test_missing_path_exits_2(tmp_path: Path) -> None:
    proc = lint(str(CLEAN), str(tmp_path / "nope.yaml"), *SELECT)
    assert_usage_error(proc, "nope.yaml", "no such file or directory")


def test_empty_path_exits_2() -> None:
    """`manifestlint "$DIR"` with DIR unset must not lint the whole working folder."""
    assert_usage_error(lint("", *SELECT), "empty path")


def test_broken_symlink_named_on_the_command_line_exits_2(tmp_path: Path) -> None:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    assert_usage_error(lint(str(tmp_path / "gone.yaml"), *SELECT), "gone.yaml", "broken symbolic link")


def _unreadable_file(tmp_path: Path) -> Path:
    """A .yaml file that cannot be read, also when the tests run as root."""
    path = tmp_path / "secret.yaml"
    if os.geteuid() != 0:
        path.write_text("kind: Pod\n")
        path.chmod(0)
        return path
    # root reads any file regardless of its mode, but not a write-only sysctl: /proc/sys checks
    # permissions without CAP_DAC_OVERRIDE.
    for candidate in ("/proc/sys/vm/compact_memory", "/proc/sys/vm/drop_caches"):
        try:
            Path(candidate).read_bytes()
        except PermissionError:
            path.symlink_to(candidate)
            return path
        except OSError:
            continue
    pytest.skip("running as root and no unreadable file is available (root reads files whatever their mode)")


def test_unreadable_file_exits_2_and_the_others_are_still_linted(tmp_path: Path) -> None:
    shutil.copy(PRIVILEGED, tmp_path / "app.yaml")
    _unreadable_file(tmp_path)
    proc = lint(str(tmp_path), *SELECT, cwd=tmp_path)
    assert proc.returncode == 2
    assert "app.yaml:15:13: ML101" in proc.stdout
    assert proc.stderr.splitlines() == [line for line in proc.stderr.splitlines()
                                       if line.startswith("manifestlint: error:")]
    assert "secret.yaml" in proc.stderr and "cannot read" in proc.stderr
    assert "secret.yaml" not in proc.stdout  # said once, on stderr


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert_usage_error(lint(str(CLEAN), *SELECT, "--output", str(blocker / "report.txt")), "cannot write")


def test_no_files_found_is_a_warning_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# hello\n")
    proc = lint(str(tmp_path), *SELECT)
    assert proc.returncode == 0
    assert "no .yaml, .yml or .json files to lint" in proc.stderr


def test_a_closed_pipe_is_not_an_error() -> None:
    pod = PRIVILEGED.read_text().split("\n", 1)[1]
    stream = "---\n".join([pod] * 600).encode()  # more output than a pipe buffers
    proc = subprocess.Popen([sys.executable, "-m", "manifestlint", "-", *SELECT], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(stream)
    proc.stdin.close()
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read()
    proc.wait(timeout=60)
    assert first.startswith(b"<stdin>:")
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr


# --- stdin -------------------------------------------------------------------------------------


def test_dash_reads_stdin() -> None:
    proc = lint("-", *SELECT, stdin=PRIVILEGED.read_bytes())
    assert proc.returncode == 1
    assert proc.stdout.startswith("<stdin>:10:7: ML102 [error]")


def test_stdin_filename_names_stdin_and_implies_dash() -> None:
    named = lint("-", "--stdin-filename", "deploy/web.yaml", *SELECT, stdin=PRIVILEGED.read_bytes())
    assert named.stdout.startswith("deploy/web.yaml:10:7: ML102")
    implied = lint("--stdin-filename", "deploy/web.yaml", *SELECT, stdin=PRIVILEGED.read_bytes())
    assert implied.stdout == named.stdout


def test_stdin_beside_files() -> None:
    proc = lint("-", str(CLEAN), *SELECT, stdin=PRIVILEGED.read_bytes())
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[-1] == "Found 2 findings (2 errors) in 2 files, 2 documents."


def test_empty_stdin_is_clean() -> None:
    proc = lint("-", *SELECT, stdin=b"")
    assert proc.returncode == 0


def test_a_terminal_that_cannot_encode_a_name_is_no_reason_to_fail(tmp_path: Path) -> None:
    path = tmp_path / "café.yaml"
    path.write_text(PRIVILEGED.read_text().replace("name: web", "name: wéb…"))
    proc = lint(str(path), *SELECT, cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 1
    assert proc.stdout.startswith("caf\\xe9.yaml:10:7: ML102")
    assert "(Deployment prod/w\\xe9b\\u2026)" in proc.stdout
