"""Ctrl-C and SIGTERM as a flag (listen/stopsignals.py): nothing raised, handlers put back."""

from __future__ import annotations

import os
import signal
import threading

from listen.stopsignals import StopSignals, main_thread_gets_signals


def test_a_signal_only_sets_the_flag_and_the_handlers_come_back() -> None:
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    with StopSignals() as stop:
        assert not stop.requested and not stop()
        os.kill(os.getpid(), signal.SIGTERM)  # would end the process without the handler
        os.kill(os.getpid(), signal.SIGINT)  # would raise KeyboardInterrupt here
        # a wait with a timeout is where both commands sit; the handler must not break it
        assert not threading.Event().wait(0.05)
        assert stop.requested and stop() and stop.received == signal.SIGTERM  # the first one
    assert {signum: signal.getsignal(signum) for signum in before} == before


def test_outside_the_main_thread_it_installs_nothing() -> None:
    seen: list[bool] = []

    def work() -> None:
        with StopSignals() as stop:
            seen.append(stop.requested)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [False]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_threads_started_in_the_block_leave_the_signals_to_the_main_thread() -> None:
    masks: list[set[int]] = []

    def record_mask() -> None:
        masks.append(set(signal.pthread_sigmask(signal.SIG_BLOCK, [])))

    before = set(signal.pthread_sigmask(signal.SIG_BLOCK, []))
    with StopSignals() as stop:
        with main_thread_gets_signals():
            thread = threading.Thread(target=record_mask)
            thread.start()
            thread.join()
            os.kill(os.getpid(), signal.SIGINT)  # blocked here: it waits for the end of the block
            assert not stop.requested
        assert stop.requested  # delivered once unblocked, to the main thread's handler
    assert {signal.SIGINT, signal.SIGTERM} <= masks[0]
    assert set(signal.pthread_sigmask(signal.SIG_BLOCK, [])) == before
