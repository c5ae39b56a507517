"""What a session step keeps between its reads (store.Reuse per table): a step refreshed after
every outside write (an idea added in another window) makes objects only of the documents that
changed, not of 2,000 gaps, 500 sessions and every idea and action again."""

from __future__ import annotations

from dataclasses import dataclass, field

from listen.domain import Action, FixIdea, Gap, Session
from listen.store.store import Reuse


@dataclass
class SessionReuse:
    """One per reader (a step); the objects it gives back are shared with its next read, so the
    reader never changes them (see Reuse)."""

    gaps: Reuse[Gap] = field(default_factory=Reuse)
    sessions: Reuse[Session] = field(default_factory=Reuse)
    ideas: Reuse[FixIdea] = field(default_factory=Reuse)
    actions: Reuse[Action] = field(default_factory=Reuse)
