"""The command palette: every key binding in scope is also a command you can search for by name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    node: DOMNode
    action: str
    key: str


def _scope_title(node: DOMNode) -> str:
    title = getattr(node, "PALETTE_GROUP", None)
    if title:
        return str(title)
    name = type(node).__name__
    for suffix in ("Screen", "Modal", "App", "Panel", "View", "Step"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    return name or "App"


def declared_by_textual(node: DOMNode, binding: Binding) -> bool:
    """Whether Textual's own class declared this binding (a Button's enter "Press button", a
    DataTable's cursor keys, a Screen's focus and copy keys): how a widget works, not a command of
    listen's. The app's own (quit, the palette) are kept."""
    from textual.app import App

    if isinstance(node, App):
        return False
    for cls in type(node).__mro__:
        for item in cls.__dict__.get("BINDINGS", ()):
            declared = item if isinstance(item, Binding) else Binding(*item)
            if declared.action == binding.action:
                return cls.__module__.split(".", 1)[0] == "textual"
    return False


def commands_in_scope(screen: DOMNode) -> Iterator[PaletteCommand]:
    """The bindings active on ``screen`` (focused widget, screen, app), one command per binding id;
    the keys Textual's own widgets bring with them are left out (see declared_by_textual)."""
    seen: set[str] = set()
    active = getattr(screen, "active_bindings", {})
    for key, active_binding in active.items():
        binding: Binding = active_binding.binding
        if not active_binding.enabled or binding.system or not binding.description:
            continue
        if declared_by_textual(active_binding.node, binding):
            continue
        ident = binding.id or f"{type(active_binding.node).__name__}.{binding.action}"
        if ident in seen:
            continue
        seen.add(ident)
        node = active_binding.node
        display = screen.app.get_key_display(binding) if hasattr(screen, "app") else key
        yield PaletteCommand(
            name=f"{_scope_title(node)}: {binding.description}",
            help=binding.tooltip or f"key: {display}",
            node=node,
            action=binding.action,
            key=key,
        )


class ListenCommands(Provider):
    """Commands for the key bindings in scope on the screen the palette was opened from."""

    def _commands(self) -> list[PaletteCommand]:
        return list(commands_in_scope(self.screen))

    async def _run(self, command: PaletteCommand) -> None:
        await self.app.run_action(command.action, command.node)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.name), partial(self._run, command), help=command.help
                )
