"""`listen` with no command: open the app on the workspace."""

from __future__ import annotations

import argparse

from listen.commands.common import open_context


def run(args: argparse.Namespace) -> int:
    context = open_context(args)
    context.store.check()  # a damaged database is reported now, in one line, not inside the app
    from listen.tui.app import ListenApp  # Textual only when the app opens

    ListenApp(context.workspace, store=context.store, settings=context.settings).run()
    return 0
