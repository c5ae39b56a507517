"""listen.toml: one typed settings object, defaults in code, clear errors naming key and file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_listen, tree_state

from listen.errors import SettingsError
from listen.session.errors import PackError
from listen.session.packs import load_pack, packaged_dir
from listen.settings import Member, Settings, load_settings
from listen.workspace import Workspace


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "listen.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "listen.toml")
    assert settings == Settings()
    assert settings.gap_categories == ("Policy", "Procedure", "Tool", "Product", "Knowledge")
    assert settings.redact is True
    assert settings.transcription.engine == "faster-whisper"
    assert settings.transcription.agent_channel == "left"


def test_a_full_file_is_read_into_types(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
prompt_pack = "quick"
gap_categories = ["Policy", "Billing"]
redact = false

[[members]]
name = "Ana"
role = "support"

[[members]]
name = "Cy"

[transcription]
engine = "openai-whisper"
model = "/models/small"
vocabulary = ["Northwind", "FlexiPlan"]
agent_channel = "right"

[audio]
max_clip_minutes = 30
""",
    )
    settings = load_settings(path)
    assert settings.prompt_pack == "quick"
    assert settings.gap_categories == ("Policy", "Billing")
    assert settings.redact is False
    assert settings.members == (Member("Ana", "support"), Member("Cy", ""))
    assert settings.transcription.vocabulary == ("Northwind", "FlexiPlan")
    assert settings.transcription.agent_channel == "right"
    assert settings.max_clip_seconds == 1800.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'blue'\n", "unknown setting 'colour'"),
        ("[transcription]\nmodle = 'x'\n", "unknown setting 'transcription.modle'"),
        ("redact = 'yes'\n", "'redact' must be true or false"),
        ("[audio]\nmax_clip_minutes = 'long'\n", "'audio.max_clip_minutes' must be a number"),
        ("[transcription]\nengine = 'cloud'\n", "'transcription.engine' must be one of"),
        ("gap_categories = 'Policy'\n", "'gap_categories' must be a list"),
        ("gap_categories = ['Policy', 3]\n", "'gap_categories[1]' must be text"),
        ("[[members]]\nrole = 'x'\nnick = 'y'\n", "unknown setting 'members[0].nick'"),
        ("[[members]]\nrole = 'owner'\n", "'members[0].name' is required"),
        ("transcription = 3\n", "'transcription' must be a table"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_keys_and_types_name_the_key_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[audio]\nmax_clip_minutes = nan\n",
            "'audio.max_clip_minutes' must be more than 0 and at most 1440 minutes, not nan",
        ),
        (
            "[audio]\nmax_clip_minutes = inf\n",
            "'audio.max_clip_minutes' must be more than 0 and at most 1440 minutes, not inf",
        ),
        (
            "[audio]\nmax_clip_minutes = -5\n",
            "'audio.max_clip_minutes' must be more than 0 and at most 1440 minutes, not -5.0",
        ),
        ("[audio]\nmax_clip_minutes = 0\n", "'audio.max_clip_minutes' must be more than 0"),
        ("[audio]\nmax_record_minutes = -inf\n", "'audio.max_record_minutes' must be more than 0"),
        ("[transcription]\nthreads = -3\n", "'transcription.threads' must be from 0 to 256, not -3"),
        ("[transcription]\nbeam_size = 0\n", "'transcription.beam_size' must be from 1 to 16, not 0"),
        ("[transcription]\nbeam_size = 1000\n", "'transcription.beam_size' must be from 1 to 16, not 1000"),
    ],
)
def test_numbers_outside_their_range_name_key_file_and_range(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert str(error.value) == f"{path}: {message}" or str(error.value).startswith(f"{path}: {message}")


def test_numbers_at_the_ends_of_their_range_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "[audio]\nmax_clip_minutes = 1440\nmax_record_minutes = 0.5\n"
                           "[transcription]\nthreads = 0\nbeam_size = 16\n")  # fmt: skip
    settings = load_settings(path)
    assert settings.audio.max_clip_minutes == 1440 and settings.transcription.beam_size == 16


@pytest.mark.parametrize(
    "pack", ["../../../../etc/passwd", "/proc/self/environ", "~/.bashrc", "weekly.md", "a b", "", "x" * 65]
)
def test_prompt_pack_is_a_name_never_a_path(tmp_path: Path, pack: str) -> None:
    path = write(tmp_path, f"prompt_pack = {pack!r}\n".replace("'", '"'))
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: 'prompt_pack' must be a name like 'weekly'")


def test_a_bad_setting_stops_every_command_with_one_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_listen("init", ws).returncode == 0
    settings = ws / "listen.toml"
    for text, key in (
        ('prompt_pack = "../../../../etc/passwd"\n', "'prompt_pack'"),
        ("[audio]\nmax_clip_minutes = nan\n", "'audio.max_clip_minutes'"),
    ):
        settings.write_text(text)
        before = tree_state(ws, folders=True)
        for args in (("clips",), ("export", "-o", "-"), ("doctor",)):
            result = run_listen("--workspace", ws, *args)
            assert result.returncode == 1, args
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"listen: {settings}: {key} must be"), lines
            assert "Traceback" not in result.stderr
        assert tree_state(ws, folders=True) == before


def test_a_workspace_pack_is_found_by_its_name(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws").ensure()
    workspace.prompts_dir.mkdir()
    (workspace.prompts_dir / "ours.md").write_text(
        (packaged_dir() / "quick.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    write(workspace.root, 'prompt_pack = "ours"\n')
    settings = load_settings(workspace.settings_path)
    assert load_pack(settings.prompt_pack, workspace).path == workspace.prompts_dir / "ours.md"


def test_huge_settings_and_pack_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "ws").ensure()
    with workspace.settings_path.open("wb") as handle:  # 2 GB, sparse
        handle.truncate(2 * 1024**3)
    with pytest.raises(SettingsError, match=r"listen.toml: larger than 1024 KB: not a settings file"):
        load_settings(workspace.settings_path)
    workspace.prompts_dir.mkdir()
    with (workspace.prompts_dir / "huge.md").open("wb") as handle:
        handle.truncate(2 * 1024**3)
    with pytest.raises(PackError, match=r"huge.md.*larger than 256 KB: not a prompt pack"):
        load_pack("huge", workspace)
