"""The key line at the bottom of a screen, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer rebuilds its keys at every "bindings changed" signal (focus moving, the
    screen stack changing, a reactive that touches bindings): opening a screen sends several, and
    each rebuild removes and mounts every key and styles them again (~10 ms each). This one
    rebuilds only when what it would show (key, label, enabled, tooltip, group) differs from the
    last time it did."""

    _shown: tuple[Any, ...] | None = None

    async def recompose(self) -> None:
        shown = self._keys_shown()
        if shown is not None and shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def _keys_shown(self) -> tuple[Any, ...] | None:
        """What compose would show now (None: nothing to compare yet)."""
        if not self._bindings_ready or not self.is_attached:
            return None
        keys = [
            (binding.key, binding.action, binding.description, enabled, tooltip, binding.group)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        ]
        return (*keys, self.show_command_palette, self.compact)
