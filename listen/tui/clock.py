"""Where the app gets the time from: the system clock, or a fixed one for tests and snapshots."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Now = Callable[[], dt.datetime]


@dataclass
class Clock:
    """Wall time (for dates) and a monotonic count of seconds (for timers), both replaceable."""

    now: Now = field(default=lambda: dt.datetime.now().astimezone())
    monotonic: Callable[[], float] = time.monotonic

    def today(self) -> dt.date:
        return self.now().date()

    @classmethod
    def fixed(cls, when: dt.datetime) -> Clock:
        """A clock that never moves: same date, timers stay at zero. For snapshots."""
        return cls(now=lambda: when, monotonic=lambda: 0.0)
