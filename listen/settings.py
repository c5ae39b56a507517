"""Team settings: ``listen.toml`` in the workspace, read into one typed object with defaults in code.

Example::

    prompt_pack = "weekly"
    gap_categories = ["Policy", "Procedure", "Tool", "Product", "Knowledge"]
    verdict_category = "Policy"    # the category whose gaps get a verdict ("" for none)
    redact = true
    region = "GB"                  # reads national phone numbers; default: the system locale's, else US
    timezone = "Europe/Berlin"     # the team's weeks (Trends, report charts); default: the system's
    minutes_audio = true           # export each quote's audio with the minutes (as --audio)
    minutes_audio_reel = false     # and a reel of every quote (as --reel)
    minutes_audio_bleep = "tone"   # personal data in the sound becomes a 1 kHz tone, or "silence"

    [[members]]
    name = "Ana"
    role = "support"

    [transcription]
    engine = "faster-whisper"      # or "openai-whisper"
    model = "bundled"              # or a model name, or a path to a model directory
    language = "en"
    vocabulary = ["Northwind", "FlexiPlan"]
    agent_channel = "left"         # which stereo channel holds the agent
    uncertain_below = 0.5          # words the model was less sure of are marked (0: none)
    quality = "fast"               # or "accurate": beam search of 5 and temperature fallback
    diarize = "auto"               # mono calls: find the speakers when the diarize extra is installed
    speakers = 2                   # how many voices a mono call has (diarization)

    [audio]
    max_clip_minutes = 120

An unknown key, a value of the wrong type, or a number outside its range (see ``RANGE``: nan and
inf never fit) is an error naming the key, the file and what would fit.

The bundled demo workspace says ``demo = true``: commands that would write to it refuse (the demo is
checked into the repository); ``listen demo`` works on a copy without that line.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from listen.domain import DEFAULT_GAP_CATEGORIES
from listen.errors import SettingsError
from listen.session.packs import PACK_NAME_RULE, is_pack_name

ENGINES = ("faster-whisper", "openai-whisper")
MAX_SETTINGS_BYTES = 1024 * 1024


TIMEZONE_RULE = 'an IANA time zone name such as "Europe/Berlin" (empty: the system\'s)'


def is_timezone(name: str) -> bool:
    """A zone the system's time zone database knows (zoneinfo, standard library); "" is the system's."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name:
        return True
    if len(name) > 64 or not name.isprintable():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Range:
    """Where a numeric setting must lie: ``low`` (excluded when ``above``) up to ``high``."""

    low: float
    high: float
    above: bool = False  # True: the value must be more than ``low``
    unit: str = ""

    def holds(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        return (value > self.low if self.above else value >= self.low) and value <= self.high

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.above:
            return f"more than {self.low:g} and at most {self.high:g}{unit}"
        return f"from {self.low:g} to {self.high:g}{unit}"


def ranged(default: float, bounds: Range) -> Any:
    """A dataclass field whose value listen.toml may set within ``bounds``."""
    return field(default=default, metadata={"range": bounds})


@dataclass(frozen=True)
class Member:
    """A team member named in listen.toml."""

    name: str
    role: str = ""


@dataclass(frozen=True)
class TranscriptionSettings:
    """The [transcription] table: engine, model, vocabulary, stereo agent channel, decoding."""

    engine: Literal["faster-whisper", "openai-whisper"] = "faster-whisper"
    model: str = "bundled"
    language: str = "en"
    vocabulary: tuple[str, ...] = ()
    agent_channel: Literal["left", "right"] = "left"
    # words the model gave a probability below this are marked for checking by ear (0: none)
    uncertain_below: float = ranged(0.5, Range(0, 1))
    vad: bool = True
    beam_size: int = ranged(1, Range(1, 16))
    compute_type: str = "int8"
    threads: int = ranged(0, Range(0, 256))  # 0: automatic
    quality: Literal["fast", "accurate"] = "fast"  # accurate: beam 5 and the temperature fallback
    diarize: Literal["auto", "off"] = "auto"  # auto: mono clips get speakers when the extra is installed
    speakers: int = ranged(2, Range(2, 8))  # voices on a mono call, for diarization


@dataclass(frozen=True)
class AudioSettings:
    """The [audio] table: size limits and the devices to record from and play to."""

    max_clip_minutes: float = ranged(120.0, Range(0, 24 * 60, above=True, unit="minutes"))
    max_record_minutes: float = ranged(60.0, Range(0, 24 * 60, above=True, unit="minutes"))
    input_device: str = ""  # name or index; empty: the system default
    output_device: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything listen.toml can set, with the defaults a new workspace runs on."""

    prompt_pack: str = field(default="weekly", metadata={"check": (is_pack_name, PACK_NAME_RULE)})
    gap_categories: tuple[str, ...] = DEFAULT_GAP_CATEGORIES
    verdict_category: str = DEFAULT_GAP_CATEGORIES[0]  # must be one of gap_categories, or ""
    redact: bool = True
    region: str = field(default_factory=lambda: default_region())
    anonymise: bool = False
    minutes_audio: bool = False  # `listen export` writes each quote's audio (as --audio)
    minutes_audio_reel: bool = False  # and one reel of every quote (as --reel)
    minutes_audio_bleep: Literal["tone", "silence"] = "tone"  # what replaces personal data in the sound
    timezone: str = field(default="", metadata={"check": (is_timezone, TIMEZONE_RULE)})
    members: tuple[Member, ...] = ()
    transcription: TranscriptionSettings = field(default_factory=TranscriptionSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    demo: bool = False  # the bundled demo: read-only (see the module's docstring)

    @property
    def max_clip_seconds(self) -> float:
        return self.audio.max_clip_minutes * 60.0

    def carries_verdict(self, category: str) -> bool:
        """Whether gaps of ``category`` get a verdict (eliminate / rephrase / initiate): the one
        place that knows which category that is (``verdict_category``, matched ignoring case)."""
        return bool(self.verdict_category) and category.strip().casefold() == self.verdict_category.casefold()


def load_settings(path: Path) -> Settings:
    """Read ``listen.toml``; a missing file gives the defaults."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SETTINGS_BYTES + 1)  # a page of settings: never read a huge file
    except (FileNotFoundError, NotADirectoryError):
        return Settings()
    except OSError as error:
        raise SettingsError(f"{path}: cannot read the settings ({error.strerror})") from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise SettingsError(f"{path}: larger than {MAX_SETTINGS_BYTES // 1024} KB: not a settings file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: not valid TOML ({error})") from None
    settings: Settings = _build(Settings, data, path, prefix="")
    if "region" in data:
        region = settings.region.strip().upper()
        if not is_region(region):
            raise SettingsError(
                f'{path}: \'region\' must be a two-letter region code such as "US" or "GB", '
                f"not {settings.region!r}"
            )
        settings = dataclasses.replace(settings, region=region)
    _check_verdict_category(settings, path)
    return settings


def is_region(code: str) -> bool:
    """A region code phonenumbers knows ("US", "GB"...), checked without importing it (~55 ms)."""
    import importlib.util

    if len(code) != 2 or not code.isascii() or not code.isalpha() or not code.isupper():
        return False
    spec = importlib.util.find_spec("phonenumbers")
    if spec is None or spec.origin is None:
        return True  # pragma: no cover - a dependency; redaction says so if it is missing
    return (Path(spec.origin).parent / "data" / f"region_{code}.py").is_file()


def default_region() -> str:
    """The region of the system locale ("en_GB.UTF-8" -> "GB"), else "US"."""
    for name in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0].partition("_")[2].upper()
            return code if is_region(code) else "US"
    return "US"


def _check_verdict_category(settings: Settings, path: Path) -> None:
    """Renaming or dropping the verdict category must not switch verdicts off without a word."""
    wanted = settings.verdict_category
    if wanted and not any(c.casefold() == wanted.casefold() for c in settings.gap_categories):
        raise SettingsError(
            f"{path}: 'verdict_category' is '{wanted}', which is not one of gap_categories "
            f"({', '.join(settings.gap_categories)}); name the category whose gaps get a verdict, "
            'or set verdict_category = "" for none'
        )


def _build(cls: type[Any], data: dict[str, Any], path: Path, prefix: str) -> Any:
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key not in known:
            raise SettingsError(f"{path}: unknown setting '{name}' (known: {', '.join(sorted(known))})")
        kwargs[key] = _convert(hints[key], value, path, name)
    for f in dataclasses.fields(cls):
        bounds = f.metadata.get("range")
        if bounds is not None and f.name in kwargs and not bounds.holds(kwargs[f.name]):
            value = kwargs[f.name]
            raise SettingsError(f"{path}: '{prefix}{f.name}' must be {bounds.describe()}, not {value!r}")
        check = f.metadata.get("check")
        if check is not None and f.name in kwargs and not check[0](kwargs[f.name]):
            shown = repr(kwargs[f.name][:80])
            raise SettingsError(f"{path}: '{prefix}{f.name}' must be {check[1]}, not {shown}")
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and f.name not in kwargs:
            raise SettingsError(f"{path}: '{prefix}{f.name}' is required")
    return cls(**kwargs)


def _convert(hint: Any, value: Any, path: Path, name: str) -> Any:
    origin = get_origin(hint)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise SettingsError(f"{path}: '{name}' must be a table")
        return _build(hint, value, path, prefix=f"{name}.")  # type: ignore[arg-type]
    if origin is tuple:
        (item_hint, _ellipsis) = get_args(hint)
        if not isinstance(value, list):
            raise SettingsError(f"{path}: '{name}' must be a list")
        return tuple(_convert(item_hint, item, path, f"{name}[{i}]") for i, item in enumerate(value))
    if origin is Literal:
        choices = get_args(hint)
        if value not in choices:
            options = ", ".join(repr(c) for c in choices)
            raise SettingsError(f"{path}: '{name}' must be one of {options}, not {value!r}")
        return value
    if origin in (Union, types.UnionType):
        raise TypeError("optional settings are not used")  # pragma: no cover
    expected = hint
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise SettingsError(
            f"{path}: '{name}' must be {_type_name(expected)}, not {type(value).__name__} {value!r}"
        )
    return value


def _type_name(expected: type) -> str:
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
        expected, expected.__name__
    )
