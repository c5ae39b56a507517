"""Terminal escape injection (issue 10, point 1): stored text from e-mails, chats, file names and the
rep's own fields reaches the terminal only through the display sanitiser. Every command's captured
stdout and stderr is checked for raw control bytes; --json stays exact."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import raw_controls, run_listen, tree_state

from listen.store import Store
from listen.workspace import Workspace

# The subject from the report: OSC 52 writes "email-pwned" to the clipboard of whoever lists it.
SUBJECT = "=?utf-8?q?Refund_request=1B]52;c;ZW1haWwtcHduZWQ=3D=1B\\?="
DECODED_SUBJECT = "Refund request\x1b]52;c;ZW1haWwtcHduZWQ=\x1b\\"
EMAIL = (
    "From: Dana Customer <dana@example.com>\n"
    f"Subject: {SUBJECT}\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Hello, I returned the grinder three weeks ago and still have no refund at all.\n"
    "Please \x1b]0;window renamed\x07 look into it.\n"
)
CHAT = (
    "Customer: I was charged twice for the grinder and nobody answers my mails.\n\n"
    "Agent: sorry \x1b[2J the screen is clear now\rforged start of line\n\n"
    "Customer: \x1b[1A\x1b[2K this erased the line above, and \u202eesrever ni txet\u202c is reversed.\n\n"
    "Agent: I raised a ticket with finance and promised a call back by Friday, which the refund tool "
    "does not let me track at all.\n"
)


def check_clean(*outputs: str) -> None:
    for output in outputs:
        assert "\x1b" not in output
        assert "\r" not in output
        assert raw_controls(output) == [], output


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "refund.eml").write_text(EMAIL, encoding="utf-8")
    (folder / "chat\x1b[31m red\nforged.txt").write_text(CHAT, encoding="utf-8")
    return tmp_path / "ws", folder


def submit(ws: Path, *args: str | Path):
    return run_listen("--workspace", ws, "submit", *args)


def test_submit_clips_and_show_print_no_control_characters(hostile: tuple[Path, Path]) -> None:
    ws, folder = hostile
    chat = folder / "chat\x1b[31m red\nforged.txt"
    result = submit(
        ws,
        "--by", "Ana\x1b[2J\u202e",
        "--note", "first line\nsecond line\r\x1b]52;c;bm90ZQ==\x07",
        "--needed", "a refund\x9b2J",  # a one-character C1 CSI
        folder / "refund.eml", chat, folder / "missing\x1b[2J.txt",
    )  # fmt: skip
    assert result.returncode == 1  # the missing file
    check_clean(result.stdout, result.stderr)
    created, *out_lines = result.stdout.splitlines()
    assert created == f"created workspace {ws}"  # the first submit makes the workspace
    assert len(out_lines) == 2  # one line per clip: the newline in the file name is shown as ⏎
    assert "chat␛[31m red⏎forged.txt: clip" in out_lines[1]
    assert result.stderr.count("\n") == 1 and "missing␛[2J.txt" in result.stderr

    store = Store(Workspace(ws))
    clips = {clip.source: clip for clip in store.clips()}
    mail = clips["refund.eml"]
    assert mail.title == DECODED_SUBJECT  # stored exactly as received: only the display changes

    listing = run_listen("--workspace", ws, "clips")
    assert listing.returncode == 0, listing.stderr
    check_clean(listing.stdout, listing.stderr)
    lines = listing.stdout.splitlines()
    assert len(lines) == 3  # the header and one row per clip: no forged rows
    assert "Refund request␛]52;c;ZW1haWwtcHduZWQ=␛\\" in listing.stdout
    assert "chat␛[31m red⏎forged" in listing.stdout

    for clip in clips.values():
        shown = run_listen("--workspace", ws, "show", clip.id)
        assert shown.returncode == 0, shown.stderr
        check_clean(shown.stdout, shown.stderr)
        assert "Note: first line⏎second line⏎␛]52;c;bm90ZQ==␇" in shown.stdout
        assert "Customer needed: a refund\ufffd2J" in shown.stdout
        assert "submitted by Ana␛[2J on" in shown.stdout
    shown = run_listen("--workspace", ws, "show", clips[chat.name].id).stdout
    # The transcript keeps its own line breaks (a \r is one), and nothing else; each message is
    # shown once with its sender (not "agent: Agent: ...").
    assert "\nAgent: sorry ␛[2J the screen is clear now\nforged start of line\n" in shown
    assert "␛[1A␛[2K this erased the line above, and esrever ni txet is reversed." in shown


def test_json_output_is_exact_and_escapes_what_a_terminal_would_act_on(hostile: tuple[Path, Path]) -> None:
    ws, folder = hostile
    by = "Ana\u202e\u2028\x85\u200b"
    assert submit(ws, "--by", by, folder / "refund.eml").returncode == 0
    listing = run_listen("--workspace", ws, "clips", "--json")
    check_clean(listing.stdout)
    [clip] = json.loads(listing.stdout)
    assert clip["title"] == DECODED_SUBJECT
    assert clip["submitted_by"] == by
    shown = run_listen("--workspace", ws, "show", clip["id"], "--json")
    check_clean(shown.stdout)
    detail = json.loads(shown.stdout)
    assert detail["title"] == DECODED_SUBJECT
    transcript = Store(Workspace(ws)).transcript(clip["id"])
    assert detail["transcript"]["text"] == transcript.text  # the ESC and BEL inside, exactly
    assert "\x1b]0;window renamed\x07" in detail["transcript"]["text"]


def test_a_file_name_that_is_not_utf8_is_stored_and_shown_without_a_traceback(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    name = os.fsdecode(b"caf\xe9 \x1b[2J.txt")
    path = tmp_path / name
    path.write_text("Customer: the name of this file is Latin-1, not UTF-8, and has an escape.\n")
    result = submit(ws, "--by", "Ana", path)
    assert result.returncode == 0, result.stderr
    check_clean(result.stdout, result.stderr)
    [clip] = Store(Workspace(ws)).clips()
    assert clip.source == "caf\ufffd \x1b[2J.txt"
    listing = run_listen("--workspace", ws, "clips")
    check_clean(listing.stdout)
    assert "caf\ufffd ␛[2J" in listing.stdout


def test_error_lines_name_hostile_input_without_acting_on_it(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (tmp_path / "ok.txt").write_text("Customer: a plain chat with enough words to be a text clip.\n")
    assert submit(ws, "--by", "Ana", tmp_path / "ok.txt").returncode == 0
    before = tree_state(ws)
    cases = [
        ["--workspace", ws, "show", "nope\x1b]52;c;eA==\x07"],  # an unknown id, quoted back
        ["--workspace", ws, "clips", "--status", "x\x1b[2J\r"],  # argparse quotes the bad choice
        ["--workspace", ws, "submit", "--by", "Ana", tmp_path / "dir\x1b[2J"],  # no such file
        ["--workspace", ws, "export", "x\u202e\x1b[2J"],  # an unknown session
    ]
    for args in cases:
        result = run_listen(*args)
        assert result.returncode != 0
        check_clean(result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr  # one line
        # The escape is shown, not acted on (argparse quotes a bad choice with repr: \x1b).
        assert "␛" in result.stderr or "\\x1b" in result.stderr, result.stderr
    assert tree_state(ws) == before


def test_doctor_shows_a_hostile_workspace_path_safely(tmp_path: Path) -> None:
    ws = tmp_path / "ws\x1b]0;title\x07"
    (tmp_path / "ok.txt").write_text("Customer: a plain chat with enough words to be a text clip.\n")
    assert submit(ws, "--by", "Ana", tmp_path / "ok.txt").returncode == 0
    result = run_listen("--workspace", ws, "doctor")
    check_clean(result.stdout, result.stderr)
    assert "ws␛]0;title␇" in result.stdout + result.stderr


@pytest.mark.slow
def test_transcribe_prints_no_control_characters_for_hostile_names(tmp_path: Path) -> None:
    """Real Whisper (bundled tiny.en) on a clip with a hostile file name and title, in a workspace
    whose own path is hostile (every path in a failure line is), and a clip that fails."""
    import shutil

    from tests.transcribe.speech import JFK, recording, silence, write_wav

    ws = tmp_path / "ws\x1b]0;window\x07"
    speech = tmp_path / "call\x1b[2J\nforged.flac"
    shutil.copyfile(recording(JFK).path, speech)
    broken = write_wav(tmp_path / "broken\u202e.wav", silence(1.0))
    result = submit(ws, "--by", "Ana", "--title", f"{MARKUP_TITLE}\x1b]52;c;eA==\x07", speech)
    assert result.returncode == 0, result.stderr
    assert submit(ws, "--by", "Ana\x1b[2J", broken).returncode == 0
    store = Store(Workspace(ws))
    [bad] = [c for c in store.clips() if c.source.startswith("broken")]
    next(Workspace(ws).clip_dir(bad.id).glob("original*")).write_bytes(b"garbage " * 100)

    result = run_listen("--workspace", ws, "transcribe", timeout=300)
    assert result.returncode == 1  # the broken clip
    check_clean(result.stdout, result.stderr)
    assert "1 transcribed, 1 failed" in result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{bad.id}: ")


MARKUP_TITLE = "[bold red]x[/] [link=https://e.vil]y[/]"
