"""Prompt packs: the shipped ones, workspace overrides, and malformed packs (file, line, problem)."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.errors import ListenError, NotFoundError
from listen.session.errors import PackError
from listen.session.packs import (
    STEP_KINDS,
    available_packs,
    load_pack,
    load_pack_file,
    packaged_dir,
    parse_pack,
)
from listen.workspace import Workspace

GOOD = """# Tiny pack
For tests.

## Hello
id: hello
kind: stage
timebox: 3 min

Be kind.

Second paragraph.

? Who is here?

## Hear it
kind: listen
timebox: 4 min per clip
? What did they need?
"""


def test_the_shipped_packs_load_and_weekly_follows_the_design() -> None:
    assert {"weekly", "quick", "monthly-story"} <= set(available_packs())
    weekly = load_pack("weekly")
    kinds = [step.kind for step in weekly.steps]
    assert kinds == ["stage", "follow_up", "listen", "ideas", "decide", "commit", "story", "close"]
    assert [s.timebox_minutes for s in weekly.steps][:6] == [5, 5, 8, 10, 10, 5]
    assert weekly.step("story").optional is True
    assert all(step.questions for step in weekly.steps), "every step asks the room something"
    stage = weekly.step("stage")
    assert "systems, not people" in stage.intro
    assert "did the best they could" in stage.intro  # the Prime Directive idea, in our words
    assert any("EASY" in q for q in weekly.step("ideas").questions)
    story = load_pack("monthly-story").step("story")
    assert story.optional is False and len(story.questions) == 3
    assert load_pack("quick").planned_minutes(clip_count=1) <= 20


def test_shipped_packs_use_every_kind_somewhere() -> None:
    used = {step.kind for name in available_packs() for step in load_pack(name).steps}
    assert used == set(STEP_KINDS)


def test_parse_reads_fields_intro_and_questions() -> None:
    pack = parse_pack(GOOD, name="tiny")
    assert pack.title == "Tiny pack" and pack.description == "For tests."
    hello, hear = pack.steps
    assert (hello.id, hello.kind, hello.timebox_minutes, hello.line) == ("hello", "stage", 3.0, 4)
    assert hello.intro == "Be kind.\n\nSecond paragraph."
    assert hello.questions == ("Who is here?",)
    assert (hear.id, hear.kind, hear.timebox_seconds, hear.per_clip) == ("listen", "listen", 240.0, True)
    assert hear.questions == ("What did they need?",)
    assert pack.planned_minutes(clip_count=3) == 3 + 3 * 4


def test_workspace_pack_overrides_the_shipped_one_by_name(workspace: Workspace) -> None:
    workspace.prompts_dir.mkdir()
    (workspace.prompts_dir / "weekly.md").write_text(GOOD, encoding="utf-8")
    (workspace.prompts_dir / "ours.md").write_text(GOOD.replace("Tiny", "Ours"), encoding="utf-8")
    (workspace.prompts_dir / "README.md").write_text("# not a pack", encoding="utf-8")
    assert load_pack("weekly", workspace).title == "Tiny pack"
    assert load_pack("weekly").title != "Tiny pack"  # without the workspace: the shipped one
    assert load_pack("ours", workspace).title == "Ours pack"
    names = available_packs(workspace)
    assert "ours" in names and "weekly" in names and "README" not in names


def test_load_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    path.write_text(GOOD, encoding="utf-8")
    pack = load_pack_file(path)
    assert pack.name == "mine" and pack.path == path


def test_unknown_pack_names_the_available_ones() -> None:
    with pytest.raises(NotFoundError, match=r"nosuch: no such prompt pack \(available: .*weekly"):
        load_pack("nosuch")
    for bad in ("two words", "no/such/pack.md", "weekly.md", "../../../../etc/passwd", "/proc/self/environ",
                "~/.bashrc", "", "x" * 65):  # fmt: skip
        with pytest.raises(NotFoundError, match="not a prompt pack name"):
            load_pack(bad)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "the pack is empty"),
        ("Title without hash\n", 1, "a pack starts with its title"),
        ("# T\n\nno steps here\n", 4, "the pack has no steps"),
        ("# T\n\n## A\nkind: lisen\n", 4, "unknown kind 'lisen'"),
        ("# T\n\n## A\nid: a\n\ntext\n", 3, "needs a 'kind:' line"),
        ("# T\n\n## A\nkind: stage\ntimebox: soon\n", 5, "bad timebox 'soon'"),
        ("# T\n\n## A\nkind: stage\ntimebox: 999\n", 5, "longer than 240 minutes"),
        ("# T\n\n## A\nkind: stage\ntimebox: 5 min per clip\n", 5, "'per clip' only"),
        ("# T\n\n## A\nkind: stage\noptional: maybe\n", 5, "bad optional 'maybe'"),
        ("# T\n\n## A\nkind: stage\nGoal: hear customers\n", 5, "unknown field 'Goal'"),
        ("# T\n\n## A\nkind: stage\nkind: close\n", 5, "'kind' is given twice"),
        ("# T\n\n## A\nkind: stage\nid: Big Id\n", 5, "bad id 'Big Id'"),
        ("# T\n\n## A\nkind: stage\n\n## B\nkind: stage\n", 6, "step id 'stage' is used twice"),
        ("# T\n\n## A\nkind: listen\n\n## B\nkind: listen\nid: b\n", 6, "at most one 'listen'"),
        ("# T\n? lost question\n## A\nkind: stage\n", 2, "a question must be inside a step"),
        ("# T\n\n## A\nkind: stage\n\n?\n", 6, "an empty question"),
        ("# T\n\n##\nkind: stage\n", 3, "a step heading needs a title"),
        ("# T\n\n## A\nkind: stage\n\n# Another title\n", 6, "a pack has one '# title'"),
    ],
)
def test_malformed_pack_names_file_line_and_problem(
    workspace: Workspace, text: str, line: int, problem: str
) -> None:
    workspace.prompts_dir.mkdir(exist_ok=True)
    path = workspace.prompts_dir / "broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack("broken", workspace)
    error = caught.value
    assert isinstance(error, ListenError)
    assert error.line == line
    assert problem in error.problem
    assert str(error).startswith(f"{path}: line {line}: ")
    assert "\n" not in str(error)


def test_non_utf8_pack_names_the_line(workspace: Workspace) -> None:
    workspace.prompts_dir.mkdir()
    path = workspace.prompts_dir / "latin.md"
    path.write_bytes(b"# T\n\n## Caf\xe9\nkind: stage\n")
    with pytest.raises(PackError, match=r"latin\.md: line 3: not UTF-8"):
        load_pack("latin", workspace)


def test_shipped_packs_live_inside_the_package() -> None:
    # listen/prompts is a link to the repository's prompts/ so `pip install .` ships the packs.
    assert (packaged_dir() / "weekly.md").is_file()
    assert packaged_dir().parent.name == "listen"
