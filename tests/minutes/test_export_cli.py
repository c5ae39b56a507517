"""`listen export` and `listen report` as a user runs them: paths printed, files written, one-line
errors with exit 1, usage errors with exit 2."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from helpers import run_listen

from listen.domain import Session
from listen.minutes.paths import minutes_file_name
from listen.store import Store
from listen.workspace import Workspace
from tests.minutes.md_structure import headings, parse
from tests.minutes.minutes_fixture import MAIN

GOLDEN = Path(__file__).parent / "golden"


def test_export_latest_writes_the_minutes_and_prints_the_path(history: Store, workspace: Workspace) -> None:
    # The fixture has no listen.toml: members' roles come from the attendees, as in the golden file.
    result = run_listen("--workspace", workspace.root, "export")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == workspace.minutes_dir / "2026-11-23-weekly.md"
    text = path.read_text(encoding="utf-8")
    assert headings(parse(text))[0] == (1, f"Listening session — {MAIN}")
    assert "\\[card\\]" in text and "4111" not in text  # redacted by default
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_export_options(history: Store, workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "week.html"
    result = run_listen(
        "export", "2026-11-16", "-o", out, "--no-redact", "--anonymise", "--workspace", workspace.root
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")  # the format follows -o's suffix
    assert "Listening session — 2026-11-16" in page and "Ben Okafor" not in page

    to_stdout = run_listen("--workspace", workspace.root, "export", MAIN, "-o", "-", "--format", "md")
    assert to_stdout.returncode == 0
    assert to_stdout.stdout == (GOLDEN / "minutes-2026-11-23.md").read_text(encoding="utf-8")


def test_export_failures_are_one_line(history: Store, workspace: Workspace, tmp_path: Path) -> None:
    unknown = run_listen("--workspace", workspace.root, "export", "2020-01-01")
    assert (unknown.returncode, unknown.stderr.strip()) == (1, "listen: 2020-01-01: no such session")

    (tmp_path / "plain-file").write_text("x")
    for target, reason in (
        (tmp_path / "missing-folder" / "m.md", "does not exist"),
        (tmp_path / "plain-file" / "m.md", "is not a folder"),
        (tmp_path, "is a folder"),
    ):
        result = run_listen("--workspace", workspace.root, "export", "-o", target)
        assert result.returncode == 1, target
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"listen: {target}: ") and reason in lines[0]

    usage = run_listen("--workspace", workspace.root, "export", "--format", "pdf")
    assert usage.returncode == 2 and len(usage.stderr.strip().splitlines()) == 1
    both = run_listen("--workspace", workspace.root, "export", "--redact", "--no-redact")
    assert both.returncode == 2


def test_export_with_no_sessions_yet(tmp_path: Path) -> None:
    assert run_listen("init", tmp_path / "empty").returncode == 0
    result = run_listen("--workspace", tmp_path / "empty", "export")
    assert result.returncode == 1
    assert result.stderr.strip() == "listen: no sessions yet: run a listening session in the app first"
    report = run_listen("--workspace", tmp_path / "empty", "report", "-o", "-")
    assert report.returncode == 0 and "no sessions in this period" in report.stdout


def test_report_command(history: Store, workspace: Workspace, tmp_path: Path) -> None:
    result = run_listen("--workspace", workspace.root, "report", "--since", "2026-11-16")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == workspace.minutes_dir and path.name.startswith("report-")
    assert headings(parse(path.read_text(encoding="utf-8")))[0] == (1, "Listening report — since 2026-11-16")

    html = run_listen("--workspace", workspace.root, "report", "--format", "html", "-o", tmp_path / "r.out")
    assert html.returncode == 0 and (tmp_path / "r.out").read_text().startswith("<!DOCTYPE html>")

    bad = run_listen("--workspace", workspace.root, "report", "--since", "last week")
    assert bad.returncode == 2 and "'last week' is not a date" in bad.stderr


def test_default_file_names() -> None:
    assert minutes_file_name(Session(id="2026-11-23", date="2026-11-23")) == "2026-11-23-weekly.md"
    assert (
        minutes_file_name(Session(id="2026-11-23-2", date="2026-11-23"), "html") == "2026-11-23-weekly-2.html"
    )
    odd = Session(id="x/../y", date="2026-11-23", prompt_pack="Monthly (EU)!")
    assert minutes_file_name(odd) == "2026-11-23-monthly-eu-x-y.md"


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc (no new files allowed)")
def test_export_to_a_place_that_refuses_files(history: Store, workspace: Workspace) -> None:
    result = run_listen("--workspace", workspace.root, "export", "-o", "/proc/minutes.md")
    assert result.returncode == 1
    assert result.stderr.startswith("listen: /proc/minutes.md: cannot write the file (")
    assert len(result.stderr.strip().splitlines()) == 1
