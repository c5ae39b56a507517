"""One widget per kind of agenda step (stage, follow-up, listen, ideas, decide, commit, story,
close). Each reads what it shows in a thread worker and saves every change through the session
service at once (the app's ordered write queue)."""

from __future__ import annotations

from listen.tui.steps.base import StepView


def step_view_for(kind: str) -> type[StepView]:
    from listen.tui.steps.close import CloseStep
    from listen.tui.steps.commit import CommitStep
    from listen.tui.steps.decide import DecideStep
    from listen.tui.steps.follow_up import FollowUpStep
    from listen.tui.steps.ideas import IdeasStep
    from listen.tui.steps.listen import ListenStep
    from listen.tui.steps.stage import StageStep
    from listen.tui.steps.story import StoryStep

    views: dict[str, type[StepView]] = {
        "stage": StageStep,
        "follow_up": FollowUpStep,
        "listen": ListenStep,
        "ideas": IdeasStep,
        "decide": DecideStep,
        "commit": CommitStep,
        "story": StoryStep,
        "close": CloseStep,
    }
    return views[kind]


__all__ = ["StepView", "step_view_for"]
