"""Text clips split into messages with their senders (listen.ingest.thread): chat and e-mail forms,
roles, hostile and malformed threads, older stored transcripts, and `listen show` on a text clip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import raw_controls, run_listen

from listen.domain import speaker_label
from listen.ingest.submit import submit_file
from listen.ingest.thread import (
    HEAD,
    MAX_SEGMENTS,
    SPLITTER,
    clip_transcript,
    split_thread,
    thread_transcript,
)
from listen.settings import Member, Settings
from listen.store import Store


def said(text: str, team: tuple[str, ...] = ("Sam",)) -> list[tuple[str, str | None, str]]:
    """(who, time, text) of each segment, as a line shows them."""
    transcript = thread_transcript(text, team=team)
    return [(speaker_label(s.speaker, s.sender), s.at, s.text) for s in transcript.segments]


# ---------------------------------------------------------------------------- chat forms

AM_TIMES = ["10:02 AM", "10:03 AM", "10:05 AM"]


def test_role_words_give_one_segment_per_message_without_the_prefix() -> None:
    text = "Customer: Hi, where is my refund?\n\nAgent: It needs a manager.\nI have asked.\n\nCustomer: Ok"
    assert said(text, team=()) == [
        ("Customer", None, "Hi, where is my refund?"),
        ("Agent", None, "It needs a manager.\nI have asked."),  # a continuation line joins its message
        ("Customer", None, "Ok"),
    ]


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("[10:02] Jo: hi\n[10:03] Sam: hello\n[10:05 AM] Jo: bye", ["10:02", "10:03", "10:05 AM"]),
        ("Jo (10:02): hi\nSam (10:03): hello\nJo (10:05): bye", ["10:02", "10:03", "10:05"]),
        (  # WhatsApp on Android, then on iOS
            "12/11/2026, 10:02 - Jo: hi\n12/11/2026, 10:03 - Sam: hello\n[12/11/2026, 10:05:09] Jo: bye",
            ["12/11/2026, 10:02", "12/11/2026, 10:03", "12/11/2026, 10:05:09"],
        ),
        ("[10:02 AM] Jo\nhi\n[10:03 AM] Sam\nhello\n[10:05 AM] Jo\nbye", AM_TIMES),
        ("Jo  10:02 AM\nhi\nSam  10:03 AM\nhello\nJo  10:05 AM\nbye", AM_TIMES),
    ],
    ids=["brackets", "parentheses", "whatsapp", "teams", "slack"],
)
def test_timestamped_chat_forms_keep_the_time_and_the_sender(text: str, times: list[str]) -> None:
    assert said(text) == [
        ("Customer (Jo)", times[0], "hi"),
        ("Agent (Sam)", times[1], "hello"),
        ("Customer (Jo)", times[2], "bye"),
    ]
    transcript = thread_transcript(text, team=["Sam"])
    assert all(s.start == 0.0 and s.end == 0.0 for s in transcript.segments)  # an order, not seconds


def test_a_label_inside_a_message_is_not_a_sender_once_names_repeat() -> None:
    text = "Jo: my order never came\nOrder number: 4411\nSam: let me look\nJo: thanks\nSam: found it"
    assert said(text) == [
        ("Customer (Jo)", None, "my order never came\nOrder number: 4411"),
        ("Agent (Sam)", None, "let me look"),
        ("Customer (Jo)", None, "thanks"),
        ("Agent (Sam)", None, "found it"),
    ]


def test_a_short_chat_with_an_opening_line() -> None:
    assert said("Chat with a customer, 12 Nov\nJo: hi\nSam Okafor: hello", team=("Sam Okafor",)) == [
        ("", None, "Chat with a customer, 12 Nov"),
        ("Customer (Jo)", None, "hi"),
        ("Agent (Sam Okafor)", None, "hello"),
    ]


def test_mixed_formats_in_one_thread() -> None:
    text = "[10:02] Jo: hi\nSam (10:03): hello\nJo: still there?\n12/11/2026, 10:09 - Sam: yes"
    assert [(who, at) for who, at, _ in said(text)] == [
        ("Customer (Jo)", "10:02"),
        ("Agent (Sam)", "10:03"),
        ("Customer (Jo)", None),
        ("Agent (Sam)", "12/11/2026, 10:09"),
    ]


def test_no_sender_keeps_one_segment_per_paragraph() -> None:
    text = "The customer rang about a refund.\nShe was upset.\n\nWe could not see the payment status."
    assert said(text) == [
        ("", None, "The customer rang about a refund.\nShe was upset."),
        ("", None, "We could not see the payment status."),
    ]


def test_roles_from_the_team_and_the_other_party() -> None:
    text = "Jo Harper: hi\nSam Lee: hello\nJo Harper: bye"
    # the submitter's first name stands for their full name; the one other sender is the customer
    assert [who for who, _, _ in said(text, team=("Sam",))] == [
        "Customer (Jo Harper)",
        "Agent (Sam Lee)",
        "Customer (Jo Harper)",
    ]
    # nobody of the team in the thread, two other people: their names are kept, no role guessed
    assert [who for who, _, _ in said(text, team=("Ana",))] == ["Jo Harper", "Sam Lee", "Jo Harper"]
    # "You" is the rep who pasted the chat
    assert [who for who, _, _ in said("You: hello\nMia: hi\nYou: bye", team=())] == [
        "Agent",
        "Customer (Mia)",
        "Agent",
    ]


# ---------------------------------------------------------------------------- e-mail threads


REPLY = """From: Jo Harper <jo.harper@example.com>
Subject: Re: Still waiting

Hello again,

Nothing yet.
Jo

On Tue, 10 Nov 2026 at 14:02, Sam Lee <sam.lee@northwind.example> wrote:
> Hi Jo,
>
> The refund needs a manager's approval.
>
> On Mon, Nov 9, 2026 at 9:00 AM Jo Harper <jo.harper@example.com> wrote:
>> When is my refund coming?
"""

OUTLOOK = """From: Jo <jo@example.com>
Subject: RE: order 4411

Still nothing.

-----Original Message-----
From: Northwind Support <help@northwind.example>
Sent: Tuesday, 10 November 2026 14:02
To: Jo
Subject: order 4411

We are on it.
"""


def test_an_email_reply_chain_becomes_its_messages_with_senders() -> None:
    assert said(REPLY) == [
        ("Customer (Jo Harper)", None, "Hello again,"),
        ("Customer (Jo Harper)", None, "Nothing yet.\nJo"),
        ("Agent (Sam Lee)", None, "Hi Jo,"),
        ("Agent (Sam Lee)", None, "The refund needs a manager's approval."),
        ("Customer (Jo Harper)", None, "When is my refund coming?"),
    ]


def test_an_outlook_block_and_a_team_mailbox() -> None:
    assert said(OUTLOOK, team=()) == [
        ("Customer (Jo)", None, "Still nothing."),
        ("Agent (Northwind Support)", "Tuesday, 10 November 2026 14:02", "We are on it."),
    ]


def test_the_submitted_email_is_split_and_its_original_kept(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "reply.eml"
    raw = ("Content-Type: text/plain; charset=utf-8\n" + REPLY).encode()
    path.write_bytes(raw)
    clip = submit_file(store, path, submitted_by="Sam").clip
    transcript = store.transcript(clip.id)
    assert transcript is not None and transcript.model == SPLITTER
    assert [s.speaker for s in transcript.segments] == ["customer"] * 2 + ["agent"] * 2 + ["customer"]
    assert (store.workspace.root / clip.media).read_bytes() == raw  # the thread, byte for byte


# ---------------------------------------------------------------------------- hostile, malformed


def test_escape_sequences_and_markup_stay_text_and_never_make_a_sender() -> None:
    text = (
        "\x1b]52;c;aGk=\x07Jo: [bold red]hi[/]\n"
        "Sam\x1b[2J: <script>alert(1)</script>\n"
        "Jo: [link=http://x]click[/link]\n"
        "Sam: ok\n"
        "\u202eoJ: reversed\n"
    )
    segments = thread_transcript(text, team=["Sam"]).segments
    for segment in segments:
        for name in (segment.sender, segment.speaker, segment.at):
            assert name is None or raw_controls(name) == []  # no control character in a name
    assert [s.sender for s in segments] == [None, "Jo", "Sam"]
    # nothing is dropped: every piece of the thread is in some segment, markup as typed
    joined = "\n".join(s.text for s in segments)
    for piece in ("[bold red]hi[/]", "<script>alert(1)</script>", "[link=http://x]click[/link]", "reversed"):
        assert piece in joined


def test_huge_lines_and_huge_threads_are_bounded_and_lose_nothing() -> None:
    huge = "A" * 2_000_000
    text = f"{huge}: not a sender\nJo: hi\nSam: {huge}\nJo: bye"
    segments = thread_transcript(text, team=["Sam"]).segments
    assert [s.sender for s in segments] == [None, "Jo", "Sam", "Jo"]
    assert len(segments[2].text) == len(huge)
    many = "\n".join(f"{'Jo' if i % 2 else 'Sam'}: line {i}" for i in range(MAX_SEGMENTS + 500))
    split = split_thread(many)
    assert len(split) == MAX_SEGMENTS
    assert split[-1].text.endswith(f"line {MAX_SEGMENTS + 499}")  # the rest joins the last one
    assert HEAD < 1000  # the patterns look at a line's head only


def test_deeply_nested_replies_do_not_recurse_without_end() -> None:
    text = "From: Jo <jo@example.com>\n\ntop\n" + "".join(
        f"{'>' * i} On Mon, 9 Nov 2026, Jo wrote:\n{'>' * (i + 1)} level {i}\n" for i in range(3000)
    )
    segments = thread_transcript(text).segments
    joined = "\n".join(s.text for s in segments)
    assert "top" in joined and "level 2999" in joined


def test_malformed_threads_still_give_their_text() -> None:
    malformed = ("From:\n\n", ":\n:\n", "[]: x\n[10:02]\n", "From: <>\n\nbody", "On wrote:\n> x", "\n\n", "x")
    for text in malformed:
        segments = thread_transcript(text).segments
        kept = "".join("".join(s.text.split()) for s in segments)
        original = "".join(text.split())
        assert all(ch in original for ch in kept)
        assert all(s.text.strip() for s in segments)  # never an empty segment


# ---------------------------------------------------------------------------- stored before the split


def test_an_older_one_segment_transcript_is_split_on_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text("Customer: where is it?\nAgent: on its way\nCustomer: thanks", encoding="utf-8")
    clip = submit_file(store, path, submitted_by="Ana").clip
    stored = store.workspace.transcript_path(clip.id)
    old = json.loads(stored.read_text(encoding="utf-8"))
    old["model"] = None  # as a listen before this change wrote it: one segment, the prefix inside
    old["segments"] = [{"start": 0.0, "end": 0.0, "text": old["text"], "speaker": "customer", "words": []}]
    stored.write_text(json.dumps(old), encoding="utf-8")
    before = stored.read_bytes()

    settings = Settings(members=[Member("Ana", "support")])
    transcript = clip_transcript(store, clip, settings)
    assert transcript is not None
    assert [(s.speaker, s.text) for s in transcript.segments] == [
        ("customer", "where is it?"),
        ("agent", "on its way"),
        ("customer", "thanks"),
    ]
    assert transcript.text == old["text"]
    assert stored.read_bytes() == before  # read, never rewritten


# ---------------------------------------------------------------------------- listen show


def test_listen_show_says_once_what_a_text_clip_is(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    chat = tmp_path / "chat.txt"
    chat.write_text("[10:02] Jo: hi\n[10:03] Sam: hello\n[10:04] Jo: my order \x1b[2J4411", encoding="utf-8")
    mail = tmp_path / "reply.eml"
    mail.write_text("Content-Type: text/plain; charset=utf-8\n" + REPLY, encoding="utf-8")
    assert run_listen("--workspace", ws, "submit", chat, mail, "--by", "Sam").returncode == 0
    listing = run_listen("--workspace", ws, "clips", "--json")
    ids = {c["source"]: c["id"] for c in json.loads(listing.stdout)}

    shown = run_listen("--workspace", ws, "show", ids["chat.txt"])
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[1] == "  chat thread, 3 messages from 2 senders, from chat.txt"
    assert "text, text" not in shown.stdout and "chat, text" not in shown.stdout
    assert "[10:02] Customer (Jo): hi" in lines
    assert "[10:03] Agent (Sam): hello" in lines
    assert "[10:04] Customer (Jo): my order ␛[2J4411" in lines
    assert "\x1b" not in shown.stdout

    as_json = json.loads(run_listen("--workspace", ws, "show", ids["chat.txt"], "--json").stdout)
    segments = as_json["transcript"]["segments"]
    assert [(s["speaker"], s["sender"], s["at"]) for s in segments] == [
        ("customer", "Jo", "10:02"),
        ("agent", "Sam", "10:03"),
        ("customer", "Jo", "10:04"),
    ]

    shown = run_listen("--workspace", ws, "show", ids["reply.eml"])
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[1] == "  e-mail thread, 5 parts from 2 senders, from reply.eml"
    assert "Agent (Sam Lee): The refund needs a manager's approval." in shown.stdout
