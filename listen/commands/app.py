"""`listen` with no command: open the app on the workspace."""

from __future__ import annotations

import argparse
import sys

from listen.commands.common import open_context
from listen.display import one_line


def run(args: argparse.Namespace, *, notice: str = "") -> int:
    """``notice``: a line the app shows once it is on screen (the terminal's own lines are hidden
    while it runs)."""
    # a folder that is not a workspace yet becomes one at the first change saved in the app
    context = open_context(args, writes=True, may_create=True)
    context.store.check()  # a damaged database is reported now, in one line, not inside the app
    from listen.audio.quiet_alsa import silence_alsa_messages
    from listen.tui.app import ListenApp  # Textual only when the app opens

    silence_alsa_messages()  # ALSA would print "underrun occurred" over the app
    app = ListenApp(context.workspace, store=context.store, settings=context.settings)
    app.startup_notice = notice
    app.run()
    for change in app.unsaved_at_exit:  # the app's own lines are gone: said on the terminal
        print(f"listen: could not save {one_line(change)}", file=sys.stderr)
    if app.unsaved_at_exit:
        return 1
    return app.return_code or 0
