"""The guided session, without any UI: prompt packs, the running agenda, and the service
functions that save every change at once through the store.

- ``packs``: prompt packs (``prompts/*.md``): load, list, check.
- ``agenda``: the agenda state machine (current step, next/back/skip, timeboxes, elapsed time).
- ``service``: start/resume/close/reopen a session, follow-ups, quotes, gaps, ideas, votes,
  actions, the story check. Each function is one transaction. It gathers the modules that hold
  them by aggregate: ``sessions``, ``follow_ups``, ``quotes``, ``gaps``, ``ideas``, ``actions``,
  ``story_check`` (shared checks in ``checks``).
- ``voting``: dot-vote budget and ranking. ``dates``: due dates as typed ("+7d", "friday").
- ``blame``: hindsight-blame hints. ``gap_search``: fuzzy search of existing gaps.
- ``story``: the story check's cohesion figure. ``recurrence``: times seen, weeks recurring.
"""
