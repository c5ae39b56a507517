"""Listen to one clip: player and transcript, the rep's view, a silent-notes timer, then quotes
and gaps. q marks the selected segment (or range) as a quote; g tags a gap at that moment, with
the picker searching the gaps we already have first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.message import Message
from textual.widgets import Collapsible, Static

from listen.domain import Clip, Gap, Session, Transcript
from listen.ingest.thread import clip_transcript, speaker_label, thread_size
from listen.session import service
from listen.timefmt import position
from listen.tui.messages import SessionChanged
from listen.tui.safe import one_line
from listen.tui.screens.gap_picker import GapPicker, PickedGap
from listen.tui.screens.modals import ChoiceModal
from listen.tui.screens.quote_prompt import QuotePrompt
from listen.tui.steps.base import StepView
from listen.tui.viewmodels import format_clock, format_duration
from listen.tui.widgets.clip_facts import rep_view_text
from listen.tui.widgets.player import PlayerPanel
from listen.tui.widgets.transcript import Selection

SILENT_SECONDS = 60.0
CANDIDATE_CLIPS = 40


@dataclass(frozen=True)
class ListenData:
    clip: Clip | None
    transcript: Transcript | None
    gaps: list[Gap] = field(default_factory=list)  # every gap (for the picker)
    tagged: list[Gap] = field(default_factory=list)  # gaps linked to this clip in this session


class CandidatesLoaded(Message):
    def __init__(self, clips: list[Clip]) -> None:
        super().__init__()
        self.clips = clips


class ListenStep(StepView):
    KIND = "listen"
    FOCUS = "#transcript"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quote", "Quote", id="listen-quote"),
        Binding("g", "gap", "Tag gap", id="listen-gap"),
        Binding("s", "silent", "Silent notes", id="listen-silent"),
        Binding("c", "add_clip", "Add clip", show=False, id="listen-add-clip"),
        Binding("x", "untag", "Untag a gap", show=False, id="listen-untag"),
        Binding("d", "delete_quote", "Delete a quote", show=False, id="listen-delete-quote"),
        Binding("Q", "questions", "Show/hide the questions", show=False, id="listen-questions"),
    ]

    data: ListenData | None = None
    silent_until: float | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="clip-line")
        with Container(id="listen-main"):
            yield PlayerPanel(id="listen-player")
            with VerticalScroll(id="listen-side"):
                yield self.prompt_line()  # at 80 columns; the card where there is room (app.tcss)
                yield self.prompt_card()
                yield Static("", id="rep-view")
                yield Static("", id="tags")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)

    @property
    def clip_id(self) -> str | None:
        return self.entry.clip_id

    def load_data(self) -> Any:
        store, reuse = self.store, self.reuse  # only documents changed since the last load are made again
        gaps = store.gaps(reuse=reuse.gaps)
        if self.clip_id is None:
            return ListenData(None, None, gaps)
        clip = store.clip(self.clip_id)
        tagged = service.gaps_for_clip(store, clip.id, self.session_id, reuse=reuse)
        return ListenData(clip, clip_transcript(store, clip, self.listen.settings), gaps, tagged)

    def show_data(self, data: Any) -> None:
        first = self.data is None or (self.data.clip is None) != (data.clip is None)
        before = self.data
        elsewhere, self.changed_elsewhere = self.changed_elsewhere, False
        self.data = data
        if data.clip is None:
            self.query_one("#clip-line", Static).update(
                Text(" No clip picked for this session: c adds one.", style="bold")
            )
            self.query_one("#listen-player").display = False
            self._show_tags()
            return
        clip = data.clip
        if first:
            media = self.listen.workspace.root / clip.media if clip.media else None
            panel = self.query_one(PlayerPanel)
            panel.show_clip(clip, data.transcript, media=media)
            self.focus_main()
        elif (
            before is not None
            and before.transcript != data.transcript
            and not self.query_one(PlayerPanel).shows_corrections_of(data.transcript)
        ):
            self._transcript_replaced(
                clip, data.transcript, had=before.transcript is not None, elsewhere=elsewhere
            )
        self._show_clip_line()
        self.query_one("#rep-view", Static).update(self._rep_view(clip))
        self._show_tags()

    def _transcript_replaced(
        self, clip: Clip, transcript: Transcript | None, *, had: bool, elsewhere: bool
    ) -> None:
        """Another window (``elsewhere``) or this app transcribed this clip (again): show the new
        lines, the cursor near where it was; a selection made on the old lines is dropped, and
        the room is told why, and where it was done."""
        panel = self.query_one(PlayerPanel)
        view = panel.transcript
        where = view.highlighted
        panel.replace_transcript(clip, transcript)
        if where is not None and view.lines:
            view.highlighted = min(where, len(view.lines) - 1)
        if had:
            self.notify(
                f"{clip.title}: transcribed again{' in another window' if elsewhere else ''}. "
                "The new transcript is shown; "
                "select the moment again before you quote or tag it.",
                title="Transcript changed",
                severity="warning",
                timeout=12,
            )
        else:
            self.notify(f"{clip.title}: its transcript is ready.")

    def _rep_view(self, clip: Clip) -> Text:
        text = Text()
        text.append("The rep's view", style="bold underline")
        text.append(one_line(f"  ({clip.submitted_by})") + "\n", style="dim")
        text.append_text(rep_view_text(clip.rep_view))
        return text

    def _show_clip_line(self) -> None:
        if self.data is None or self.data.clip is None:
            return
        clip = self.data.clip
        text = Text()
        text.append(one_line(f" {clip.title}"), style="bold")
        what = format_duration(clip.duration)
        if clip.kind == "text":  # "3 messages", not "text": what it is was said once, by the channel
            what = thread_size(clip, self.data.transcript)
        facts = f"  {clip.channel} · {what} · from {clip.submitted_by}"
        text.append(one_line(facts), style="dim")
        if self.silent_until is not None:
            left = self.silent_until - self.listen.clock.monotonic()
            if left > 0:
                text.append(f"   silent notes: {format_clock(left)} left", style="bold reverse")
            else:
                text.append("   silent notes over: let's talk", style="bold green")
        self.query_one("#clip-line", Static).update(text)

    def _show_tags(self) -> None:
        text = Text()
        quotes = [q for q in self.session.quotes if q.clip_id == self.clip_id] if self.clip_id else []
        text.append(f"Quotes ({len(quotes)})", style="bold underline")
        if not quotes:
            text.append("\n  select a segment, q marks it", style="dim")
        for quote in quotes:
            at = f"{position(quote.start)} " if quote.start is not None else ""
            text.append(f"\n  {at}", style="cyan")
            who = speaker_label(quote.speaker, quote.sender)
            if who:
                text.append(one_line(f"{who}: "), style="bold")
            text.append(one_line(f"“{quote.text}”"), style="italic")
        tagged = self.data.tagged if self.data else []
        text.append(f"\nGaps ({len(tagged)})", style="bold underline")
        if not tagged:
            text.append("\n  g tags a gap (known gaps first)", style="dim")
        for gap in tagged:
            text.append(f"\n  {gap.id} ", style="dim")
            text.append(one_line(f"[{gap.category}] {gap.title}"))
            if gap.times_seen > 1:
                text.append(f"  ×{gap.times_seen}", style="bold yellow")
        self.query_one("#tags", Static).update(text)

    def session_changed(self, session: Session) -> None:
        self._show_tags()

    def step_hidden(self) -> None:
        for panel in self.query(PlayerPanel):  # none while the step is composed or taken out
            if panel.player is not None and panel.player.playing:
                panel.action_play_pause()  # the room moved on: stop the sound

    def _tick(self) -> None:
        if self.silent_until is not None:
            self._show_clip_line()

    # ---- the moment under the cursor
    def _selection(self) -> Selection | None:
        if self.data is None or self.data.clip is None:
            return None
        return self.query_one(PlayerPanel).transcript.selection()

    def _explicit_range(self) -> bool:
        return self.query_one(PlayerPanel).transcript.range_anchor is not None

    # ---- actions
    def action_questions(self) -> None:
        """Unfold (or fold) the questions where they are folded into one line (a narrow screen)."""
        line = self.query_one("#prompt-line", Collapsible)
        if line.display:
            line.collapsed = not line.collapsed
            line.scroll_visible()
        else:
            self.notify("The questions are shown beside the transcript.")

    def action_silent(self) -> None:
        if self.silent_until is None:
            self.silent_until = self.listen.clock.monotonic() + SILENT_SECONDS
            self.notify("One minute of silent notes: everyone writes before anyone speaks.")
        else:
            self.silent_until = None
        self._show_clip_line()

    def action_quote(self) -> None:
        selection = self._selection()
        if selection is None or self.data is None or self.data.clip is None:
            self.notify("Nothing to quote yet: this clip has no transcript.", severity="warning")
            return
        clip = self.data.clip
        store, session_id, now = self.store, self.session_id, self.listen.clock.now

        def marked(text: str | None) -> None:
            if not text:
                return

            def run() -> Session:
                service.mark_quote(
                    store,
                    session_id,
                    clip.id,
                    selection.start,
                    selection.end,
                    text,
                    selection.speaker,
                    sender=selection.sender,
                    now=now,
                )
                return store.session(session_id)

            self.save("quote", run, self._quoted)

        at = f" at {position(selection.start)}" if selection.start is not None else ""
        count = selection.last - selection.first + 1
        lines = f" · {count} lines" if count > 1 else ""
        who = speaker_label(selection.speaker, selection.sender)
        self.app.push_screen(QuotePrompt(f"Quote{at}{lines}", selection.text, who=who), marked)

    def _session_changed(self, session: Session) -> None:
        self.post_message(SessionChanged(session))

    def _quoted(self, session: Session) -> None:
        self.post_message(SessionChanged(session))
        self.query_one(PlayerPanel).transcript.clear_selection()
        self.notify("Quote marked.")

    def action_gap(self) -> None:
        if self.data is None:
            return
        selection = self._selection()
        clip = self.data.clip
        context = ""
        if selection is not None:
            at = f"{position(selection.start)} " if selection.start is not None else ""
            context = f"{at}“{selection.text[:160]}”"
        names = [a.name for a in self.session.attendees]
        if clip is not None:
            names.append(clip.submitted_by)
        names += [m.name for m in self.listen.settings.members]
        key = clip.id if clip is not None else ""
        self.app.push_screen(
            GapPicker(
                self.data.gaps,
                self.listen.settings,
                names=names,
                context=context,
                draft=self.gap_drafts.get(key),
                on_draft=lambda fields: self._save_draft(key, fields),
            ),
            lambda picked: self._tag(picked, selection, clip),
        )

    # ---- a new gap typed and not created yet: kept in the session (Esc, then g, brings it back)
    _gap_drafts: dict[str, dict[str, str]] | None = None

    @property
    def gap_drafts(self) -> dict[str, dict[str, str]]:
        """This session's drafts (clip id -> fields), as last typed here: the stored ones at first,
        then kept up to date at once (the write to the store follows in order)."""
        if self._gap_drafts is None:
            self._gap_drafts = {key: dict(fields) for key, fields in self.session.gap_drafts.items()}
        return self._gap_drafts

    def _save_draft(self, key: str, fields: dict[str, str]) -> None:
        if (fields.get("title", "") + fields.get("description", "")).strip():
            self.gap_drafts[key] = dict(fields)
        else:
            self.gap_drafts.pop(key, None)
        store, session_id, clip_id = self.store, self.session_id, key or None
        self.save("gap draft", lambda: service.save_gap_draft(store, session_id, clip_id, fields))

    def _tag(self, picked: PickedGap | None, selection: Selection | None, clip: Clip | None) -> None:
        if picked is None:
            return
        store, session_id = self.store, self.session_id
        clip_id = clip.id if clip else None
        at = selection.start if selection else None
        quote = selection.text if selection is not None and self._explicit_range() else None
        by = self.session.facilitator
        now = self.listen.clock.now
        if picked.gap_id is not None:
            gap_id = picked.gap_id

            def link() -> Gap:
                return service.link_gap(
                    store, gap_id, session_id=session_id, clip_id=clip_id, at=at, quote=quote, now=now
                )

            self.save(f"link {gap_id}", link, lambda gap: self._tagged(gap, new=False))
        elif picked.new is not None:
            new = picked.new
            settings = self.listen.settings
            self.gap_drafts.pop(clip_id or "", None)  # the draft becomes the gap (tag_new_gap)

            def create() -> Gap:
                return service.tag_new_gap(
                    store,
                    session_id=session_id,
                    clip_id=clip_id,
                    category=new.category,
                    title=new.title,
                    description=new.description,
                    severity=new.severity,
                    verdict=new.verdict,
                    at=at,
                    quote=quote,
                    by=by,
                    settings=settings,
                    now=now,
                )

            self.save("new gap", create, lambda gap: self._tagged(gap, new=True))

    def _tagged(self, gap: Gap, *, new: bool) -> None:
        if new:
            self.notify(f"New gap {gap.id}: {gap.title}")
        else:
            self.notify(f"Linked {gap.id} (seen {gap.times_seen}×): {gap.title}")
        self.reload()

    def action_add_clip(self) -> None:
        self._load_candidates()

    @work(thread=True, exclusive=True, group="candidates", exit_on_error=False, description="finding clips")
    def _load_candidates(self) -> None:
        clips = service.unheard_clips(self.store)
        clips.sort(key=lambda c: (c.status != "transcribed", c.submitted_at), reverse=False)
        self.post_message(CandidatesLoaded(clips[:CANDIDATE_CLIPS]))

    @on(CandidatesLoaded)
    def _candidates(self, message: CandidatesLoaded) -> None:
        if not message.clips:
            self.notify("Every clip has been heard already; add new ones in the Inbox.", severity="warning")
            return
        options = [
            (c.id, f"{c.title} · {c.channel} · {format_duration(c.duration)} · {c.status}")
            for c in message.clips
        ]
        store, session_id = self.store, self.session_id

        def chosen(clip_id: str | None) -> None:
            if clip_id:
                self.save(
                    f"add clip {clip_id}",
                    lambda: service.add_clip(store, session_id, clip_id),
                    self._session_changed,
                )

        self.app.push_screen(ChoiceModal("Add a clip to this session", options), chosen)

    # ---- undo: a mistaken tag, a quote not worth keeping
    def action_untag(self) -> None:
        tagged = self.data.tagged if self.data else []
        if self.clip_id is None or not tagged:
            self.notify("No gap is tagged on this clip in this session.", severity="warning")
            return
        store, session_id, clip_id = self.store, self.session_id, self.clip_id

        def chosen(gap_id: str | None) -> None:
            if gap_id:
                self.save(
                    f"untag {gap_id}",
                    lambda: service.unlink_gap(store, gap_id, session_id=session_id, clip_id=clip_id),
                    lambda gap: self._untagged(gap),
                )

        options = [(g.id, f"{g.id} [{g.category}] {g.title}") for g in tagged]
        note = "Its links to this clip in this session go; the gap stays on the ledger."
        self.app.push_screen(ChoiceModal("Untag a gap from this clip", options, note=note), chosen)

    def _untagged(self, gap: Gap) -> None:
        self.notify(f"{gap.id} untagged from this clip.")
        self.reload()

    def action_delete_quote(self) -> None:
        quotes = [(i, q) for i, q in enumerate(self.session.quotes) if q.clip_id == self.clip_id]
        if self.clip_id is None or not quotes:
            self.notify("No quote is marked on this clip.", severity="warning")
            return
        store, session_id = self.store, self.session_id
        marked = {str(i): q for i, q in quotes}

        def chosen(index: str | None) -> None:
            if index is None:
                return
            quote = marked[index]
            self.save(
                "delete quote",
                lambda: service.delete_quote(store, session_id, int(index), quote=quote),
                self._quote_deleted,
            )

        options = [
            (str(i), f"{position(q.start) + ' ' if q.start is not None else ''}“{q.text[:120]}”")
            for i, q in quotes
        ]
        self.app.push_screen(ChoiceModal("Delete a quote", options), chosen)

    def _quote_deleted(self, session: Session) -> None:
        self.session_screen.set_session(session)
        self.notify("Quote deleted.")
