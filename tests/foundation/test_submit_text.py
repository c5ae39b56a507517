"""`listen submit` of text clips through the real command line, with bad input of every kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_listen, tree_state

from listen.store import Store
from listen.workspace import Workspace

EMAIL = (
    "From: Dana Customer <dana@example.com>\n"
    "To: support@northwind.test\n"
    "Subject: Refund still not here\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Hello, I returned the grinder three weeks ago and still no refund.\n"
)


def submit(ws: Path, *args: str | Path, cwd: Path | None = None):
    return run_listen("--workspace", ws, "submit", "--by", "Ana", *args, cwd=cwd)


def test_chat_and_email_become_text_clips_with_the_reps_view(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    chat = tmp_path / "chat.txt"
    chat.write_text("Customer: where is my order?\n\nAgent: the tool does not show it, sorry\n")
    mail = tmp_path / "refund.eml"
    mail.write_text(EMAIL)
    result = submit(
        ws, chat, mail, "--needed", "a refund", "--hard", "refund tool is slow", "--helped", "partly"
    )
    assert result.returncode == 0, result.stderr
    clips = json.loads(run_listen("--workspace", ws, "clips", "--json").stdout)
    assert [(c["title"], c["channel"], c["status"], c["duration"]) for c in clips] == [
        ("chat", "chat", "transcribed", None),
        ("Refund still not here", "email", "transcribed", None),
    ]
    assert {c["source"] for c in clips} == {"chat.txt", "refund.eml"}
    shown = json.loads(run_listen("--workspace", ws, "show", clips[1]["id"], "--json").stdout)
    assert shown["rep_view"]["hard"] == "refund tool is slow"
    assert shown["rep_view"]["helped"] == "partly"
    assert "still no refund" in shown["transcript"]["text"]
    assert "Subject: Refund still not here" in shown["transcript"]["text"]
    chat_shown = json.loads(run_listen("--workspace", ws, "show", clips[0]["id"], "--json").stdout)
    assert [s["speaker"] for s in chat_shown["transcript"]["segments"]] == ["customer", "agent"]


def test_original_bytes_are_kept_untouched(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    chat = tmp_path / "chat.md"
    chat.write_bytes("\ufeffCustomer: ça ne marche pas\r\n".encode())
    assert submit(ws, chat).returncode == 0
    clip = Store(Workspace(ws)).clips()[0]
    assert (ws / clip.media).read_bytes() == chat.read_bytes()


def test_identical_content_twice_is_one_clip_and_reported(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("same words\n")
    b.write_text("same words\n")
    assert submit(ws, a).returncode == 0
    again = submit(ws, b)
    assert again.returncode == 0
    assert "already submitted as clip" in again.stdout
    assert len(Store(Workspace(ws)).clips()) == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary data, not text"),
        ("noise.md", bytes([0x87, 0x91, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]) * 50, "binary data, not text"),
        ("latin1.txt", "Le client était fâché\n".encode("latin-1"), "not UTF-8 text"),
        ("headers.eml", b"\n\njust text, no headers\n", "not an e-mail"),
        ("notes.docx", b"PK\x03\x04 fake", "unsupported file type '.docx'"),
    ],
)
def test_bad_text_input_is_one_clear_line_and_changes_nothing(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    ws = tmp_path / "ws"
    good = tmp_path / "good.txt"
    good.write_text("Customer: hi\n")
    assert submit(ws, good).returncode == 0
    before = tree_state(ws)
    bad = tmp_path / name
    bad.write_bytes(content)
    result = submit(ws, bad)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: ") and reason in lines[0]
    assert tree_state(ws) == before


def test_folders_missing_paths_and_dangling_links(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    folder = tmp_path / "a folder.txt"
    folder.mkdir()
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    result = submit(ws, folder, tmp_path / "missing.txt", link)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{folder}: is a folder, not a file",
        f"{tmp_path / 'missing.txt'}: no such file",
        f"{link}: a broken symbolic link",
    ]
    assert Store(Workspace(ws)).clips() == []


def test_odd_file_names(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    names = ["with spaces.txt", "ünïcødé — 顧客.txt", "-leading-dash.txt", "--also.txt", "quote'and\"dq.txt"]
    for n, name in enumerate(names):
        (tmp_path / name).write_text(f"Customer: message {n}\n")
    result = run_listen("--workspace", ws, "submit", "--by", "Ana", "--", *names, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(c.source for c in Store(Workspace(ws)).clips()) == sorted(names)


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ok1, bad, ok2 = tmp_path / "1.txt", tmp_path / "2.txt", tmp_path / "3.txt"
    ok1.write_text("first\n")
    bad.write_bytes(b"")
    ok2.write_text("third\n")
    result = submit(ws, ok1, bad, ok2)
    assert result.returncode == 1
    assert result.stderr.strip() == f"{bad}: the file is empty"
    assert sorted(c.source for c in Store(Workspace(ws)).clips()) == ["1.txt", "3.txt"]


def test_huge_text_is_refused(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 1_200_000)
    result = submit(ws, huge)
    assert result.returncode == 1
    assert "too large for a text clip" in result.stderr
