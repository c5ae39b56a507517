"""How long the typed fields of a clip may be, and how big an imported file may be.

Every field is hostile input (a 1 MB e-mail subject was once accepted as a title), so each has a
limit a real use never reaches:

- a title: 200 characters. A title someone types (``--title``) beyond it is refused; one taken
  from a file (an e-mail subject, a file name) is shortened with "…" and a notice on the clip;
- who submitted (``--by``): 100 characters, refused beyond;
- the rep's view (``--note``, ``--needed``, ``--hard``, ``--workaround``): 10,000 characters each;
- a text clip (.txt, .md, .eml): 5 MB, checked from the file's size before anything is read;
- an audio file: 4 GB (two hours of 16-bit 48 kHz stereo WAV is 1.4 GB), checked the same way.
"""

from __future__ import annotations

import errno

from listen.errors import UsageError

MAX_TITLE_CHARS = 200
MAX_NAME_CHARS = 100
MAX_NOTE_CHARS = 10_000
MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_AUDIO_BYTES = 4 * 1024**3

# errors that mean "no room": a full disk, a quota, a file-size limit (RLIMIT_FSIZE)
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def check_field(label: str, value: str | None, limit: int) -> None:
    """A typed field longer than ``limit`` characters is a usage error naming the field."""
    if value is not None and len(value) > limit:
        raise UsageError(f"{label} is {len(value):,} characters long; the limit is {limit:,}")


def check_submission(*, title: str | None, submitted_by: str, notes: dict[str, str] | None = None) -> None:
    """The fields a rep typed for a submission: title, name, and the rep's view."""
    check_field("--title", title, MAX_TITLE_CHARS)
    check_field("--by", submitted_by, MAX_NAME_CHARS)
    for label, value in (notes or {}).items():
        check_field(label, value, MAX_NOTE_CHARS)


def fit_title(text: str) -> tuple[str, str | None]:
    """A title taken from a file, shortened to the limit; the notice to keep when it was."""
    if len(text) <= MAX_TITLE_CHARS:
        return text, None
    notice = f"the title was shortened to {MAX_TITLE_CHARS} characters (it had {len(text):,})"
    return text[: MAX_TITLE_CHARS - 1].rstrip() + "…", notice


def write_failure_reason(error: OSError) -> str:
    """Why a file could not be written, in words (a full disk reads the same whatever the errno)."""
    if error.errno in NO_SPACE_ERRNOS:
        return "no space left to store it (the disk is full, or a quota or file-size limit was hit)"
    return error.strerror or str(error)
