"""Well-formed JSON of the wrong shape, on a real workspace (a copy of the bundled demo) and through
the real command line: every bad document ends as one line naming its file and id, exit 1, no
traceback, nothing written; listings show the rest; migrations never write over what they cannot
read; `listen doctor` lists every invalid document."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, run_listen, tree_state

from listen.domain import Clip, DocumentError, Gap, Session, Transcript
from listen.errors import StoreError
from listen.store import Store
from listen.workspace import Workspace

HELMET = "813e2aa9fa"  # a phone call heard in the latest demo session (2026-11-16)
CHAT = "694c6227b2"  # a chat heard on 2026-11-09
LATEST = "2026-11-16"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A private copy of the bundled demo workspace: clips, transcripts, three sessions, gaps..."""
    from listen.commands.demo import copy_demo

    return copy_demo(REPO / "sessions", tmp_path / "ws")  # writable: without the demo's mark


def edit_table(root: Path, file: str, table: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """Change the documents of one table in one database file, as a hand edit would."""
    path = root / "db" / file
    data = json.loads(path.read_text())
    change(data[table])
    path.write_text(json.dumps(data))
    return path


def set_field(doc_id: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(docs: dict[str, Any]) -> None:
        docs[doc_id][key] = value

    return change


def replace_doc(doc_id: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(docs: dict[str, Any]) -> None:
        docs[doc_id] = value

    return change


def drop_field(doc_id: str, key: str) -> Callable[[dict[str, Any]], None]:
    def change(docs: dict[str, Any]) -> None:
        del docs[doc_id][key]

    return change


# (case id, file under db/, table, change, the id the line must name, what the line must say)
CLIP_CASES = [
    ("bogus-clip", "clips/81.json", "clips", replace_doc(HELMET, {"bogus": 1}), HELMET, "id: missing"),
    (
        "text-for-number",
        "clips/81.json",
        "clips",
        set_field(HELMET, "byte_size", "480000"),
        HELMET,
        "byte_size",
    ),
    ("nested-wrong-type", "clips/81.json", "clips", set_field(HELMET, "rep_view", ["a"]), HELMET, "rep_view"),
    (
        "bad-word",
        "clips/81.json",
        "clips",
        set_field(HELMET, "status", "done\x1b]52;c;eA==\x07"),
        HELMET,
        "status",
    ),
    (
        "nan-duration",
        "clips/81.json",
        "clips",
        set_field(HELMET, "duration", float("nan")),
        HELMET,
        "duration",
    ),
]
SESSION_CASES = [
    ("bogus-gap", "gaps.json", "gaps", replace_doc("G-1", {"bogus": 1}), "G-1", "id: missing"),
    ("severity-text", "gaps.json", "gaps", set_field("G-1", "severity", "3"), "G-1", "severity"),
    ("links-not-list", "gaps.json", "gaps", set_field("G-1", "links", {"clip_id": HELMET}), "G-1", "links"),
    (
        "attendee-number",
        "sessions.json",
        "sessions",
        set_field(LATEST, "attendees", [{"name": 5}]),
        LATEST,
        "attendees[0].name",
    ),
    ("session-date", "sessions.json", "sessions", set_field(LATEST, "date", "last Monday"), LATEST, "date"),
    ("action-no-owner", "actions.json", "actions", drop_field("A-1", "owner"), "A-1", "owner: missing"),
    ("action-due", "actions.json", "actions", set_field("A-1", "due", "next week"), "A-1", "due"),
    ("idea-votes", "ideas.json", "ideas", set_field("I-1", "votes", {"Ana": "2"}), "I-1", "votes"),
    ("id-not-key", "gaps.json", "gaps", set_field("G-1", "id", "G-77"), "G-1", "differs from the key"),
]


def assert_one_line_failure(result: Any, path: Path, doc_id: str, what: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and doc_id in lines[0] and what in lines[0], lines[0]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr  # a stored value is escaped


def check_case_id(case: tuple[Any, ...]) -> str:
    return str(case[0])


@pytest.mark.parametrize("case", CLIP_CASES, ids=check_case_id)
def test_a_bad_clip_is_one_line_and_the_others_are_still_listed(demo: Path, case: tuple[Any, ...]) -> None:
    _, file, table, change, doc_id, what = case
    frozen = run_listen("--workspace", demo, "export", LATEST, "-o", "-").stdout
    path = edit_table(demo, file, table, change)
    before = tree_state(demo)
    listed = run_listen("--workspace", demo, "clips")
    assert_one_line_failure(listed, path, doc_id, what)
    assert HELMET not in listed.stdout and CHAT in listed.stdout  # the rest are listed
    as_json = run_listen("--workspace", demo, "clips", "--json")
    assert_one_line_failure(as_json, path, doc_id, what)
    assert len(json.loads(as_json.stdout)) == 7  # the demo's eight clips but the bad one
    for command in (["show", HELMET], ["report"]):
        result = run_listen("--workspace", demo, *command)
        assert_one_line_failure(result, path, doc_id, what)
    # a closed session's minutes come from the record frozen at its close, not from today's clips
    exported = run_listen("--workspace", demo, "export", LATEST, "-o", "-")
    assert exported.returncode == 0 and exported.stdout == frozen, exported.stderr
    assert tree_state(demo) == before


@pytest.mark.parametrize("case", SESSION_CASES, ids=check_case_id)
def test_a_bad_gap_session_action_or_idea_stops_export_and_report_with_one_line(
    demo: Path, case: tuple[Any, ...]
) -> None:
    _, file, table, change, doc_id, what = case
    frozen = run_listen("--workspace", demo, "export", LATEST, "-o", "-").stdout
    path = edit_table(demo, file, table, change)
    before = tree_state(demo)
    result = run_listen("--workspace", demo, "report")
    assert_one_line_failure(result, path, doc_id, what)
    assert result.stdout == ""
    # a closed session's minutes come from the record frozen at its close: only its own session
    # document is read from today's tables
    exported = run_listen("--workspace", demo, "export", LATEST, "-o", "-")
    if file == "sessions.json":
        assert_one_line_failure(exported, path, doc_id, what)
        assert exported.stdout == ""
    else:
        assert exported.returncode == 0 and exported.stdout == frozen, exported.stderr
    assert run_listen("--workspace", demo, "clips").returncode == 0  # clips do not depend on it
    assert tree_state(demo) == before


def test_a_transcript_of_the_wrong_shape_is_one_line(demo: Path) -> None:
    path = demo / "clips" / HELMET / "transcript.json"
    deep = "[" * 100_000 + "]" * 100_000  # well-formed, nested past Python's recursion limit
    for bad in ("[]", '{"segments": [{"start": "0:00", "end": 2, "text": "hi"}]}', '{"text": 5}', deep):
        path.write_text(bad)
        before = tree_state(demo)
        for command in (["show", HELMET], ["show", HELMET, "--json"]):
            result = run_listen("--workspace", demo, *command)
            assert_one_line_failure(result, path, HELMET, "transcript")
        assert tree_state(demo) == before
    path.write_text('{"segments": [{"start": "0:00", "end": 2, "text": "hi"}]}')
    result = run_listen("--workspace", demo, "show", HELMET)
    assert "segments[0].start: expected a number, got the text '0:00'" in result.stderr


def test_a_database_file_nested_too_deeply_is_one_line(demo: Path) -> None:
    gaps = demo / "db" / "gaps.json"
    gaps.write_text('{"gaps": {"G-1": ' + "[" * 100_000 + "]" * 100_000 + "}}")
    before = tree_state(demo)
    result = run_listen("--workspace", demo, "report")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and str(gaps) in result.stderr
    assert tree_state(demo) == before


def test_meta_without_a_schema_version_is_reported_and_never_rewritten(demo: Path) -> None:
    meta = demo / "db" / "meta.json"
    meta.write_text('{"meta":{"counters":{"G":5,"I":13,"A":4}}}')
    original = meta.read_bytes()
    (demo / "listen.json").write_text('{"gaps": {}}')  # even beside a legacy file: no migration
    before = tree_state(demo)
    for command in (["clips"], ["show", HELMET], ["export", LATEST], ["report"]):
        result = run_listen("--workspace", demo, *command)
        assert_one_line_failure(result, meta, "schema", "version: missing")
    text = demo / "note.txt"
    text.write_text("a customer asked about refunds")
    submitted = run_listen("--workspace", demo, "submit", text, "--by", "Ana")  # a write: also refused
    assert_one_line_failure(submitted, meta, "schema", "version: missing")
    text.unlink()
    assert meta.read_bytes() == original
    assert tree_state(demo) == before


@pytest.mark.parametrize(
    "meta_text",
    ['{"meta":{"schema":{"version":"1"}}}', '{"meta":{"schema":{"version":0}}}', '{"meta":{"schema":[1]}}'],
)
def test_a_schema_version_of_the_wrong_type_is_reported(demo: Path, meta_text: str) -> None:
    meta = demo / "db" / "meta.json"
    meta.write_text(meta_text)
    result = run_listen("--workspace", demo, "clips")
    assert_one_line_failure(result, meta, "schema", "version" if "version" in meta_text else "object")
    assert meta.read_text() == meta_text


def test_a_legacy_file_beside_database_files_is_not_a_layout_to_migrate(demo: Path) -> None:
    (demo / "db" / "meta.json").unlink()  # db/ files without meta.json, and a version-0 file
    legacy = demo / "listen.json"
    legacy.write_text(json.dumps({"gaps": {"G-1": Gap(id="G-1", category="Tool", title="x").to_doc()}}))
    before = tree_state(demo)
    result = run_listen("--workspace", demo, "clips")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(legacy) in result.stderr and "nothing was changed" in result.stderr
    assert tree_state(demo) == before


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ({"gaps": {"G-1": {"bogus": 1}}}, "gap G-1 is invalid (id: missing)"),
        ({"../../outside": {"x": {"id": "x"}}}, "unknown table"),
        ({"meta": {"counters": {"G": "one"}}}, "meta document counters is invalid"),
    ],
)
def test_a_legacy_file_with_invalid_documents_is_not_migrated(
    workspace: Workspace, legacy: dict[str, Any], expected: str
) -> None:
    workspace.root.mkdir(exist_ok=True)
    path = workspace.root / "listen.json"
    path.write_text(json.dumps(legacy))
    with pytest.raises(StoreError, match=r"listen\.json") as error:
        Store(workspace).clips()  # no clip shard to read: the legacy file is still looked at
    assert expected in str(error.value)
    assert json.loads(path.read_text()) == legacy
    assert not workspace.db_dir.exists() or not any(workspace.db_dir.rglob("*.json"))
    assert not (workspace.root.parent / "outside.json").exists()


def test_doctor_lists_every_invalid_document(demo: Path) -> None:
    gaps = edit_table(demo, "gaps.json", "gaps", replace_doc("G-2", {"bogus": 1}))
    sessions = edit_table(demo, "sessions.json", "sessions", set_field("2026-11-09", "step_index", "3"))
    shard = edit_table(demo, "clips/81.json", "clips", set_field(HELMET, "channel", 7))
    ideas = edit_table(demo, "ideas.json", "ideas", set_field("I-2", "impact", 9))
    transcript = demo / "clips" / CHAT / "transcript.json"
    transcript.write_text("[]")
    meta = demo / "db" / "meta.json"
    meta_data = json.loads(meta.read_text())
    meta_data["meta"]["counters"]["G"] = "five"
    meta.write_text(json.dumps(meta_data))
    before = tree_state(demo)
    result = run_listen("--workspace", demo, "doctor")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    fails = [line for line in result.stdout.splitlines() if line.strip().startswith("FAIL")]
    for path, doc_id, what in [
        (gaps, "G-2", "id: missing"),
        (sessions, "2026-11-09", "step_index"),
        (shard, HELMET, "channel"),
        (ideas, "I-2", "impact: expected a whole number from 1 to 3"),
        (transcript, CHAT, "expected an object, got a list"),
        (meta, "counters", "['G']"),
    ]:
        assert [line for line in fails if str(path) in line and doc_id in line and what in line], (
            path,
            fails,
        )
    assert any("6 invalid documents" in line for line in fails)
    assert CHAT not in " ".join(line for line in result.stdout.splitlines() if "without a clip" in line)
    assert tree_state(demo) == before


def test_doctor_is_quiet_about_a_valid_workspace(demo: Path) -> None:
    result = run_listen("--workspace", demo, "doctor")
    assert "database readable: 8 clips" in result.stdout
    assert "invalid" not in result.stdout


# --------------------------------------------------------------------------- the checks themselves


def test_every_demo_document_is_valid_and_round_trips(demo: Path) -> None:
    store = Store(Workspace(demo))
    assert store.audit() == []
    for clip in store.clips():
        assert Clip.from_doc(clip.to_doc()) == clip
        transcript = store.transcript(clip.id)
        assert transcript is not None and Transcript.from_doc(transcript.to_doc()) == transcript
    for session in store.sessions():
        assert Session.from_doc(session.to_doc()) == session


@pytest.mark.parametrize(
    ("doc", "where", "reason"),
    [
        ([], "", "expected an object, got a list"),
        ({"id": "s", "date": "2026-11-23", "notes": "x"}, "notes", "expected a list"),
        ({"id": "s", "date": "2026-11-23", "notes": ["a", 2]}, "notes[1]", "expected text"),
        (
            {"id": "s", "date": "2026-11-23", "step_seconds": {"listen": True}},
            "step_seconds['listen']",
            "got true",
        ),
        (
            {"id": "s", "date": "2026-11-23", "story_check": {"cohesion": 140}},
            "story_check.cohesion",
            "0 to 100",
        ),
        (
            {"id": "s", "date": "2026-11-23", "quotes": [{"clip_id": "c", "start": 1, "end": None}]},
            "quotes[0].text",
            "missing",
        ),
        ({"id": "s", "date": "2026-11-23", "started_at": "soon"}, "started_at", "expected a time"),
        ({"id": "s", "date": "2026-11-23", "step_index": 1.5}, "step_index", "whole number"),
    ],
)
def test_document_errors_name_the_field_and_the_reason(doc: Any, where: str, reason: str) -> None:
    with pytest.raises(DocumentError) as error:
        Session.from_doc(doc)
    assert error.value.where == where
    assert reason in error.value.reason


def test_unknown_fields_are_ignored_and_containers_are_not_shared() -> None:
    doc = {"id": "s", "date": "2026-11-23", "notes": ["a"], "from_a_newer_listen": {"x": 1}}
    session = Session.from_doc(doc)
    session.notes.append("b")
    assert doc["notes"] == ["a"]


def test_the_app_does_not_open_on_an_invalid_workspace_document_it_needs_first(demo: Path) -> None:
    meta = demo / "db" / "meta.json"
    data = json.loads(meta.read_text())
    data["meta"]["next_session_picks"] = {"clip_ids": 5}  # the Inbox picks, read as the app starts
    meta.write_text(json.dumps(data))
    before = tree_state(demo)
    result = run_listen("--workspace", demo, timeout=60)
    assert_one_line_failure(result, meta, "next_session_picks", "clip_ids: expected a list")
    assert tree_state(demo) == before


def test_a_new_workspace_has_nothing_to_report(workspace: Workspace) -> None:
    store = Store(workspace)
    assert store.audit() == []  # no db/ at all, so no meta.json: not a missing schema version
    store.put(Gap(id="G-1", category="Tool", title="x"))
    assert store.audit() == []


def test_a_document_that_could_not_be_read_back_is_never_written(workspace: Workspace) -> None:
    store = Store(workspace)
    store.put(Gap(id="G-1", category="Tool", title="x"))
    gaps = workspace.db_dir / "gaps.json"
    before = gaps.read_bytes()
    for bad in (
        Gap(id="G-2", category="Tool", title="x", severity="3"),  # type: ignore[arg-type]
        Gap(id="G-2", category="Tool", title="x", created_at="yesterday"),
        Session(id="s", date="2026-11-23", step_seconds={"listen": float("nan")}),
    ):
        with pytest.raises(StoreError, match="nothing was written"):
            store.put(bad)
    assert gaps.read_bytes() == before
    assert not (workspace.db_dir / "sessions.json").exists()
    with pytest.raises(StoreError, match="nothing was written"):
        store.write_transcript("abc1234567", Transcript(text=5))  # type: ignore[arg-type]
    assert not workspace.transcript_path("abc1234567").exists()
