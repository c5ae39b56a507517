"""Minutes with their audio quotes: Markdown beside a folder of Ogg files, or one HTML page.

- Markdown: the quotes' files go into ``<document name>.audio/`` beside the document (``q01.ogg``,
  ``q02.ogg``..., ``reel.ogg``), and each quote line links to its file by a relative link, so the
  folder and the document can be moved together. The folder is owner-only (0700), each file is
  written atomically and owner-only (0600); files of an earlier export that are no longer quotes
  are removed (only ``qNN.ogg`` and ``reel.ogg``: nothing else in the folder is touched). A folder
  that is a symlink, or one inside the workspace's ``db/`` or ``clips/``, is refused: nothing is
  written outside the document's own folder.
- HTML: each quote is an ``<audio controls>`` whose sound is inline (a ``data:`` URI), so the page
  stays one file; its Content-Security-Policy allows ``media-src data:`` and nothing else more.
  The page stays under ``HTML_LIMIT_BYTES`` (10 MB): quotes that would pass it are left out, the
  reel first, and the page and the command say which.

Either way the minutes get an "Audio" section: how many quotes have sound and its total size,
whether personal data was bleeped out of it, the reel's chapters, and each quote left out with
the reason.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import stat
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from listen.errors import ListenError
from listen.minutes.api import minutes_target, write_minutes
from listen.minutes.audio_quotes import AudioQuotes, QuoteAudio, build_audio
from listen.minutes.escape import inline
from listen.minutes.model import Minutes, MinutesOptions, build_minutes
from listen.minutes.paths import check_document_target, is_export
from listen.minutes.render_md import render_markdown
from listen.settings import Settings
from listen.store import Store
from listen.store.atomic import atomic_write_bytes
from listen.timefmt import position
from listen.workspace import Workspace, make_private_dir

HTML_LIMIT_BYTES = 10 * 1024 * 1024  # one HTML page with its audio: mail servers pass 10 MB
REEL_NAME = "reel.ogg"
_OUR_FILES = re.compile(r"^(?:q\d{2,}\.ogg|reel\.ogg)$")
_HTML_SLACK = 64 * 1024  # room kept for the lines that say which quotes were left out


@dataclass(frozen=True)
class AudioExport:
    """What ``export_minutes_with_audio`` wrote: the document, the audio folder (Markdown), the sound."""

    path: Path
    folder: Path | None
    audio: AudioQuotes

    def summary(self) -> list[str]:
        """The lines the command prints after the document's path."""
        audio = self.audio
        where = f" in {self.folder}" if self.folder is not None else " inside the page"
        reel = " and a reel" if audio.reel else ""
        lines = [f"audio: {_count(audio)}{reel}, {kilobytes(audio.total_bytes)} in total{where}"]
        lines += [f"no audio for q{item.number:02d}: {item.reason}" for item in audio.left_out]
        return lines


def export_minutes_with_audio(
    store: Store,
    settings: Settings,
    workspace: Workspace,
    session_ref: str | None = None,
    *,
    fmt: str = "md",
    output: Path | None = None,
    options: MinutesOptions | None = None,
    force: bool = False,
    reel: bool = False,
    check: Callable[[QuoteAudio], str | None] | None = None,
) -> AudioExport:
    """``export_minutes`` with each quote's sound (Markdown: files beside it; HTML: inside it)."""
    options = options or MinutesOptions(redact=settings.redact, anonymise=settings.anonymise)
    session, path = minutes_target(store, workspace, session_ref, fmt, output)
    folder = _audio_folder(path, workspace, force=force, made=output is None) if fmt == "md" else None
    minutes = build_minutes(store, settings, session.id, options)
    audio = build_audio(
        store, settings, minutes, options, reel=reel, mode=settings.minutes_audio_bleep, check=check
    )
    if fmt == "md":
        assert folder is not None
        _write_folder(folder, audio)
        text = render_markdown(
            minutes, quote_marks=_links(audio, folder.name), audio=audio_lines(audio, folder.name)
        )
    else:
        text, audio = render_html_with_audio(minutes, audio)
    written = write_minutes(path, text, workspace, chosen=output is not None, force=force)
    return AudioExport(written, folder, audio)


def render_html_with_audio(minutes: Minutes, audio: AudioQuotes) -> tuple[str, AudioQuotes]:
    """The HTML page with the quotes' sound inline, within ``HTML_LIMIT_BYTES``; and the audio as
    embedded (quotes that would pass the limit left out, with the reason)."""
    from listen.minutes.render_html import render_page

    nonce = secrets.token_hex(16)
    tokens = {q.number: f"LISTENAUDIO{nonce}Q{q.number}" for q in audio.quotes}
    reel_token = f"LISTENAUDIO{nonce}REEL"
    bare = render_page(render_markdown(minutes, audio=audio_lines(audio, None)), minutes.title)
    budget = HTML_LIMIT_BYTES - len(bare.encode("utf-8")) - _HTML_SLACK
    over: set[int] = set()
    for quote in audio.quotes:
        cost = _embedded_size(len(quote.data))
        if cost > budget:
            over.add(quote.number)
        else:
            budget -= cost
    drop_reel = audio.reel is not None and _embedded_size(len(audio.reel)) > budget
    if over or drop_reel:
        limit = f"the page would pass its {HTML_LIMIT_BYTES // (1024 * 1024)} MB limit"
        audio = audio.without(over, limit, drop_reel=drop_reel)
    marks = {(q.section, q.index): tokens[q.number] for q in audio.quotes}
    marks.update(_left_out_marks(audio))
    media = {tokens[q.number]: _element(q.data, q.name) for q in audio.quotes}
    if audio.reel:
        media[reel_token] = _element(audio.reel, REEL_NAME)
    lines = audio_lines(audio, None, reel_mark=reel_token if audio.reel else None, reel_dropped=drop_reel)
    page = render_page(render_markdown(minutes, quote_marks=marks, audio=lines), minutes.title, media=media)
    return page, audio


def audio_lines(
    audio: AudioQuotes, folder: str | None, *, reel_mark: str | None = None, reel_dropped: bool = False
) -> list[str]:
    """The minutes' Audio section (Markdown): counts and size, bleeping, the reel, what was left out."""
    lines = ["## Audio", ""]
    size = kilobytes(audio.total_bytes)
    lines.append(f"{_count(audio).capitalize()} ({size} of sound in total).")
    lines.append("")
    if audio.bleeped:
        what = "a 1 kHz tone" if audio.mode == "tone" else "silence"
        lines += [f"Personal data is bleeped out of the sound ({what}) where the text redacts it.", ""]
    else:
        lines += ["The sound is not bleeped: it was exported without redaction.", ""]
    if audio.reel:
        if folder is not None:
            lines += [f"- **Reel:** [{REEL_NAME}]({_href(folder, REEL_NAME)}), every quote in order", ""]
        elif reel_mark:
            lines += [f"- **Reel:** every quote in order {reel_mark}", ""]
        if audio.chapters:
            lines += ["#### Reel chapters", ""]
            lines += [f"- {position(c.at)} q{c.number:02d} (clip {c.section})" for c in audio.chapters]
            lines.append("")
    elif reel_dropped:
        lines += [
            f"- **Reel:** left out: the page would pass its {HTML_LIMIT_BYTES // (1024 * 1024)} MB limit",
            "",
        ]
    if audio.left_out:
        lines += ["#### Quotes without audio", ""]
        lines += [
            f"- q{item.number:02d} (clip {item.section}): {inline(item.reason)}" for item in audio.left_out
        ]
        lines.append("")
    return lines


def kilobytes(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 10 * 1024 * 1024 else f"{count / (1024 * 1024):.1f} MB"


# --------------------------------------------------------------------------- helpers


def _count(audio: AudioQuotes) -> str:
    total = len(audio.quotes) + len(audio.left_out)
    return f"{len(audio.quotes)} of {total} quote{'' if total == 1 else 's'} with audio"


def _href(folder: str, name: str) -> str:
    return f"{urllib.parse.quote(folder, safe='')}/{name}"


def _links(audio: AudioQuotes, folder: str) -> dict[tuple[int, int], str]:
    marks = {
        (q.section, q.index): f"[▶ q{q.number:02d}, {q.duration:.0f} s]({_href(folder, q.name)})"
        for q in audio.quotes
    }
    marks.update(_left_out_marks(audio))
    return marks


def _left_out_marks(audio: AudioQuotes) -> dict[tuple[int, int], str]:
    return {(item.section, item.index): f"*(no audio: {inline(item.reason)})*" for item in audio.left_out}


def _element(data: bytes, name: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<audio controls preload="metadata" title="{name}" src="data:audio/ogg;base64,{encoded}"></audio>'


def _embedded_size(count: int) -> int:
    return 4 * ((count + 2) // 3) + 120


def _audio_folder(path: Path, workspace: Workspace, *, force: bool, made: bool) -> Path:
    """``<name>.audio`` beside the Markdown file ``path``; refused where it must not be written.
    ``made``: the document's folder is the workspace's minutes/, made when missing; any other
    must exist (as ``-o`` requires)."""
    text = os.path.abspath(path)
    if text.startswith(("/dev/", "/proc/")):
        raise ListenError(
            f"{path}: audio quotes need a Markdown file to sit beside; give -o FILE.md or --format html"
        )
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise ListenError(f"{path}: cannot write the file ({error.strerror or error})") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ListenError(
            f"{path}: audio quotes need a Markdown file to sit beside; give -o FILE.md or --format html"
        )
    if info is not None and not force and not is_export(target):
        raise ListenError(f"{path}: exists and was not written by listen; give --force to replace it")
    if not made and not target.parent.is_dir():
        problem = "is not a folder" if target.parent.exists() else "does not exist"
        raise ListenError(f"{path}: {target.parent} {problem}")
    folder = target.parent / f"{target.stem}.audio"
    check_document_target(folder, workspace)
    try:
        link = folder.lstat()
    except FileNotFoundError:
        return folder
    except OSError as error:
        raise ListenError(
            f"{folder}: cannot be used for the audio quotes ({error.strerror or error})"
        ) from None
    if not stat.S_ISDIR(link.st_mode):
        raise ListenError(f"{folder}: exists and is not a folder (a link is not followed); move it away")
    return folder


def _write_folder(folder: Path, audio: AudioQuotes) -> None:
    """The quotes' files, each atomic and owner-only; earlier exports' files that are no longer
    quotes are removed."""
    files = {q.name: q.data for q in audio.quotes}
    if audio.reel:
        files[REEL_NAME] = audio.reel
    if not files and not os.path.lexists(folder):
        return  # no quote has sound (text clips only, or all left out): no empty folder
    make_private_dir(folder.parent)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        for name, data in files.items():
            atomic_write_bytes(folder / name, data)
        for entry in os.scandir(folder):
            if (
                _OUR_FILES.match(entry.name)
                and entry.name not in files
                and entry.is_file(follow_symlinks=False)
            ):
                os.unlink(entry.path)
    except OSError as error:
        raise ListenError(f"{folder}: cannot write the audio quotes ({error.strerror or error})") from None
