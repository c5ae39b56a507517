"""listen.toml: one typed settings object, defaults in code, clear errors naming key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen.errors import SettingsError
from listen.settings import Member, Settings, load_settings


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
