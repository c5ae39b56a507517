"""KeyFooter: Textual's Footer that rebuilds its keys only when the keys it shows change."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from listen.tui.widgets.footer import KeyFooter


class FooterApp(App[None]):
    BINDINGS = [  # noqa: RUF012 - Textual reads it from the class
        Binding("x", "toggle", "Toggle", id="toggle"),
        Binding("y", "extra", "Extra", id="extra"),
    ]
    extra_shown = False

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (True if self.extra_shown else None) if action == "extra" else True  # None: greyed

    def action_toggle(self) -> None:
        self.extra_shown = not self.extra_shown
        self.refresh_bindings()


def footer_keys(app: App[None]) -> list[FooterKey]:
    return list(app.query(FooterKey))


def test_the_footer_is_rebuilt_only_when_its_keys_change() -> None:
    async def scenario() -> dict[str, object]:
        found: dict[str, object] = {}
        app = FooterApp()
        async with app.run_test(size=(80, 10)) as pilot:
            await pilot.pause()
            await pilot.pause()
            first = footer_keys(app)
            found["first"] = [k.description for k in first]
            # focus moves (a bindings signal), nothing the footer shows changes: the same keys
            await pilot.press("tab")
            app.screen.refresh_bindings()
            await pilot.pause()
            await pilot.pause()
            found["kept"] = all(a is b for a, b in zip(first, footer_keys(app), strict=True))
            await pilot.press("x")  # "Extra" is now enabled: rebuilt, and shows it so
            await pilot.pause()
            await pilot.pause()
            after = footer_keys(app)
            found["rebuilt"] = not any(a is b for a, b in zip(first, after, strict=False))
            found["extra_enabled"] = [not k.has_class("-disabled") for k in after if k.description == "Extra"]
            found["extra_before"] = [not k.has_class("-disabled") for k in first if k.description == "Extra"]
        return found

    found = asyncio.run(scenario())
    assert "Toggle" in found["first"] and "Extra" in found["first"]  # type: ignore[operator]
    assert found["kept"] is True
    assert found["rebuilt"] is True
    assert found["extra_before"] == [False]
    assert found["extra_enabled"] == [True]
