"""The command contract: workspace resolution, exit codes, --help, JSON shapes, no heavy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_listen

from listen.cli import COMMANDS, build_parser, invoked_command


def test_help_lists_every_command_in_the_design() -> None:
    result = run_listen("--help")
    assert result.returncode == 0
    for command in ("submit", "record", "transcribe", "clips", "show", "export", "doctor", "demo"):
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run_listen(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "--workspace" in result.stdout


def test_usage_errors_exit_2_with_one_line() -> None:
    for args in (["no-such-command"], ["submit", "x.txt"], ["clips", "--status", "lost"]):
        result = run_listen(*args)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_unknown_clip_exits_1_naming_it(tmp_path: Path) -> None:
    assert run_listen("init", tmp_path / "ws").returncode == 0
    result = run_listen("--workspace", tmp_path / "ws", "show", "abcdef")
    assert result.returncode == 1
    assert result.stderr.strip() == "listen: abcdef: no such clip"


def test_workspace_option_beats_env_beats_default(tmp_path: Path) -> None:
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    env_ws, opt_ws = tmp_path / "from-env", tmp_path / "from-option"
    env = {"LISTEN_WORKSPACE": str(env_ws)}
    assert run_listen("submit", "--by", "A", note, env=env).returncode == 0
    assert (env_ws / "db").is_dir()
    assert run_listen("submit", "--workspace", opt_ws, "--by", "A", note, env=env).returncode == 0
    assert (opt_ws / "db").is_dir()
    plain_env = {k: v for k, v in os.environ.items() if k != "LISTEN_WORKSPACE"}
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "listen", "submit", "--by", "A", str(note)],
        cwd=cwd,
        env=plain_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (cwd / "sessions" / "db").is_dir()


def test_a_workspace_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    for args in (("init", blocker / "ws"), ("--workspace", blocker / "ws", "submit", "--by", "A", note)):
        result = run_listen(*args)
        assert result.returncode == 1
        assert f"{blocker / 'ws'}: cannot create the workspace folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_damaged_database_stops_submit_with_recovery_advice(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    assert run_listen("--workspace", ws, "submit", "--by", "A", note).returncode == 0
    (ws / "db" / "meta.json").write_text("{broken")
    other = tmp_path / "m.txt"
    other.write_text("Customer: again\n")
    result = run_listen("--workspace", ws, "submit", "--by", "A", other)
    assert result.returncode == 1
    assert "meta.json: the database is damaged" in result.stderr
    assert (ws / "db" / "meta.json").read_text() == "{broken"


def test_clips_json_schema(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    run_listen("--workspace", ws, "submit", "--by", "Ana", "--title", "Hello", note)
    clips = json.loads(run_listen("--workspace", ws, "clips", "--json").stdout)
    assert set(clips[0]) >= {
        "id",
        "title",
        "source",
        "channel",
        "submitted_by",
        "submitted_at",
        "status",
        "duration",
    }
    shown = json.loads(run_listen("--workspace", ws, "show", clips[0]["id"], "--json").stdout)
    assert set(shown) >= set(clips[0]) | {"rep_view", "transcript"}
    assert set(shown["transcript"]) >= {"text", "segments"}
    assert set(shown["transcript"]["segments"][0]) >= {"start", "end", "text", "speaker"}
    assert json.loads(run_listen("--workspace", ws, "clips", "--json", "--status", "failed").stdout) == []
    human = run_listen("--workspace", ws, "clips").stdout
    assert "Hello" in human and "Ana" in human


def test_long_output_is_complete_and_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    # `submit`, `clips` and `show` leave with os._exit after flushing (listen/cli.py, entry):
    # output longer than a pipe buffer must still arrive whole. Python buffers stdout on a pipe
    # unless PYTHONUNBUFFERED is set (as on some CI machines), so it is unset here.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}

    def listen(*args: str | Path) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "listen", "--workspace", str(tmp_path / "ws"), *map(str, args)]
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    notes = []
    for n in range(300):
        note = tmp_path / f"chat {n:03}.txt"
        note.write_text(f"Customer: question number {n} about the order\n")
        notes.append(note)
    out, err = listen("submit", "--by", "Ana", *notes).communicate(timeout=300)
    assert err == b""
    assert out.decode().count("(text clip)\n") == 300
    assert out.decode().startswith(f"created workspace {tmp_path / 'ws'}\n")
    out, _ = listen("clips").communicate(timeout=60)
    assert out.decode().count("\n") == 301 and out.endswith(b"\n")  # header + one line per clip
    out, _ = listen("clips", "--json").communicate(timeout=60)
    assert len(json.loads(out)) == 300 and out.endswith(b"]\n")
    reader = listen("clips", "--json")
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.read(10)  # like `listen clips --json | head -c 10`
    reader.stdout.close()
    assert reader.wait(timeout=60) == 0
    assert reader.stderr.read() == b""


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["submit", "--by", "A", "x.txt"], "submit"),
        (["--workspace", "clips", "show", "abc"], "show"),  # a workspace folder named "clips"
        (["--workspace=/tmp/ws", "clips"], "clips"),
        (["--help"], None),
        (["frob"], None),
        ([], None),
    ],
)
def test_only_the_invoked_command_is_built(argv: list[str], command: str | None) -> None:
    assert invoked_command(argv) == command
    parser = build_parser(only=command)
    built = next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[union-attr]
    assert list(built) == ([command] if command else list(COMMANDS))


HEAVY = ("textual", "whisper", "torch", "ctranslate2", "faster_whisper", "av", "numpy", "onnxruntime")


def test_core_modules_never_import_textual_or_heavy_libraries() -> None:
    code = (
        "import sys, listen.cli, listen.domain, listen.store, listen.settings, listen.ingest.submit\n"
        "import listen.transcribe.engine\n"
        "listen.cli.build_parser()\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_core_packages_do_not_import_textual() -> None:
    """Every module outside listen/tui imports without pulling in Textual."""
    root = Path(__file__).resolve().parents[2] / "listen"
    modules = sorted(
        ".".join(p.relative_to(root.parent).with_suffix("").parts)
        for p in root.rglob("*.py")
        if "tui" not in p.parts and p.name != "__main__.py" and p.parent.name != "commands"
    )
    code = (
        "import importlib, sys\n"
        + "".join(f"importlib.import_module({m!r})\n" for m in modules)
        + "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_time_formats() -> None:
    from listen.timefmt import clock, position

    assert [clock(s) for s in (None, 0, 8.18, 59.6, 192, 3725)] == [
        "",
        "0:00",
        "0:08",
        "1:00",
        "3:12",
        "1:02:05",
    ]
    assert [position(s) for s in (None, 2.6, 59.99, 3725.9)] == ["", "0:02", "0:59", "1:02:05"]


def test_long_titles_are_cut_visibly_in_the_clips_table(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    note = tmp_path / "n.txt"
    note.write_text("Customer: hello\n")
    title = "Where is my order? (web order not in the till, again)"
    assert run_listen("--workspace", ws, "submit", "--by", "Ana", "--title", title, note).returncode == 0
    row = run_listen("--workspace", ws, "clips").stdout.splitlines()[1]
    assert "Where is my order? (web order not in th…" in row  # an ellipsis says there is more


def test_one_title_for_several_files_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Customer: one\n")
    second.write_text("Customer: two\n")
    result = run_listen("--workspace", ws, "submit", "--by", "Ana", "--title", "Refund", first, second)
    assert result.returncode == 2
    assert result.stderr.startswith("listen: --title names one clip, and 2 files were given")
    assert not (ws / "db").exists()
    assert run_listen("--workspace", ws, "submit", "--by", "Ana", "--title", "Refund", first).returncode == 0
