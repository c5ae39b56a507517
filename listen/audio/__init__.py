"""Audio in and out: decode any call recording (PyAV), record from a microphone and play back
(sounddevice/PortAudio). Nothing here imports Textual; heavy libraries are imported lazily.

- ``listen.audio.decode``: ``inspect_audio``, ``decode_audio``, ``iter_audio_chunks``.
- ``listen.audio.devices``: ``list_devices`` for ``listen doctor`` and the record panel.
- ``listen.audio.record``: ``Recorder`` writes a WAV file as the audio arrives.
- ``listen.audio.player``: ``Player`` with pause, seek and pitch-preserving speed.
"""
