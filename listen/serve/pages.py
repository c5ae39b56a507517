"""The server's HTML: plain forms that work on a phone, no JavaScript, one stylesheet from the
server (the strict Content-Security-Policy allows nothing else). Every text that came from a
person (names, titles, notes, file names, reasons quoting them) goes through ``escape``."""

from __future__ import annotations

import html
from collections.abc import Iterable

from listen.display import one_line
from listen.domain import CHANNELS, HELPED, Clip
from listen.serve.worker import WorkerState


def escape(value: object) -> str:
    """Text for the page: markup escaped, and every control character (ESC, BEL, bidi
    overrides...) made visible or dropped as in a terminal line (``one_line``)."""
    return html.escape(one_line(value))


CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 0 auto; padding: 1rem; }
body { line-height: 1.4; }
label { display: block; margin-top: .8rem; font-weight: 600; }
input, select, textarea, button { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; }
textarea { min-height: 3.5rem; }
button { margin-top: 1rem; padding: .7rem; font-weight: 600; }
.ok { background: #e6f4ea; border-left: .3rem solid #1e8e3e; padding: .6rem; }
.refused { background: #fce8e6; border-left: .3rem solid #d93025; padding: .6rem; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
td, th { text-align: left; padding: .3rem; border-bottom: 1px solid #ddd; vertical-align: top; }
nav { display: flex; gap: 1rem; justify-content: flex-end; }
nav form button { width: auto; margin: 0; padding: .2rem .6rem; font-weight: normal; }
.hint { color: #555; font-size: .9rem; font-weight: normal; }
"""


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="/style.css"></head>'
        f"<body>{body}</body></html>\n"
    )


def login_page(message: str = "", *, csrf: str) -> str:
    note = f'<p class="refused" id="message">{escape(message)}</p>' if message else ""
    return page(
        "listen: sign in",
        f"<h1>listen</h1>{note}"
        '<form method="post" action="/login">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        '<label for="passphrase">Team passphrase</label>'
        '<input type="password" id="passphrase" name="passphrase" autocomplete="current-password" required>'
        '<button type="submit" id="sign-in">Sign in</button></form>',
    )


def message_page(title: str, message: str) -> str:
    return page(
        f"listen: {title}",
        f'<h1>{escape(title)}</h1><p class="refused" id="message">{escape(message)}</p>'
        '<p><a href="/">Back to the upload page</a></p>',
    )


def _options(values: Iterable[str], chosen: str, blank: str | None = None) -> str:
    out = [f'<option value="">{escape(blank)}</option>'] if blank is not None else []
    for value in values:
        selected = " selected" if value == chosen else ""
        out.append(f'<option value="{escape(value)}"{selected}>{escape(value)}</option>')
    return "".join(out)


def _textarea(name: str, label_html: str) -> str:
    """A rep's-view field; ``label_html`` is the page's own text, never a person's."""
    return (
        f'<label for="{name}">{label_html}</label>'
        f'<textarea id="{name}" name="{name}" maxlength="10000"></textarea>'
    )


def status_text(clip: Clip, worker: WorkerState | None) -> str:
    if (
        clip.status == "transcribing"
        and worker is not None
        and worker.working_on == clip.id
        and worker.total_seconds
    ):
        return f"transcribing ({100 * worker.done_seconds / worker.total_seconds:.0f} %)"
    if clip.status == "failed":
        return f"failed: {clip.failure or 'unknown reason'}"
    return clip.status


def upload_page(
    *,
    csrf: str,
    members: tuple[str, ...],
    rep: str,
    accept: str,
    outcome: tuple[bool, str] | None = None,
    recent: list[Clip] | None = None,
    worker: WorkerState | None = None,
    signed_in: bool = False,
    max_bytes: int = 0,
    max_minutes: float = 0,
    transcribing: bool = True,
) -> str:
    parts = []
    if signed_in:
        parts.append(
            '<nav><a href="/app/">Open the app</a><form method="post" action="/logout">'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
            '<button type="submit">Sign out</button></form></nav>'
        )
    else:
        parts.append('<nav><a href="/app/">Open the app</a></nav>')
    parts.append("<h1>Submit a call</h1>")
    if outcome is not None:
        ok, line = outcome
        parts.append(f'<p class="{"ok" if ok else "refused"}" id="message">{escape(line)}</p>')
    if members:
        who = f'<select id="by" name="by" required>{_options(members, rep, "(choose your name)")}</select>'
    else:
        who = f'<input id="by" name="by" value="{escape(rep)}" maxlength="100" required>'
    limit = f"up to {max_bytes / 1e6:,.0f} MB and {max_minutes:g} minutes" if max_bytes else ""
    parts.append(
        '<form method="post" action="/upload" enctype="multipart/form-data">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<label for="by">Your name</label>{who}'
        f'<label for="channel">Channel</label><select id="channel" name="channel">'
        f"{_options(CHANNELS, '', '(from the file)')}</select>"
        + _textarea("needed", "What the customer needed")
        + _textarea("hard", 'What made it hard <span class="hint">(the system, not the person)</span>')
        + _textarea("workaround", "What you did to get round it")
        + '<label for="helped">Was the customer helped?</label><select id="helped" name="helped">'
        f"{_options(HELPED, '', '(not sure)')}</select>"
        + _textarea("note", "Anything else the team should know")
        + f'<label for="file">The recording, e-mail or chat <span class="hint">{escape(limit)}</span></label>'
        f'<input type="file" id="file" name="file" accept="{escape(accept)}" required>'
        '<button type="submit" id="submit">Submit</button></form>'
    )
    if not transcribing:
        parts.append(
            '<p class="hint">This server does not transcribe: '
            "run <code>listen transcribe</code> on the host.</p>"
        )
    if worker is not None and worker.error:
        parts.append(f'<p class="refused" id="worker-error">{escape(worker.error)}</p>')
    if rep and recent is not None:
        parts.append(f"<h2>Your recent submissions ({escape(rep)})</h2>")
        if recent:
            rows = "".join(
                f'<tr id="clip-{escape(c.id)}"><td><code>{escape(c.id)}</code></td><td>{escape(c.title)}</td>'
                f"<td>{escape(c.submitted_at[:16].replace('T', ' '))}</td>"
                f'<td class="status">{escape(status_text(c, worker))}</td></tr>'
                for c in recent
            )
            head = "<tr><th>Clip</th><th>Title</th><th>Submitted</th><th>Status</th></tr>"
            parts.append(f'<table id="recent">{head}{rows}</table><p><a href="/">Refresh</a></p>')
        else:
            parts.append("<p>None yet.</p>")
    return page("listen: submit a call", "".join(parts))
