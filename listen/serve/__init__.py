"""`listen serve`: one host owns the workspace; reps and the meeting room reach it through a browser.

- ``access``: the team passphrase (a salted scrypt hash in an owner-only file), sessions, CSRF
  tokens and the rate limit on wrong passphrases;
- ``upload``: a rep's upload streamed to a temp file in the workspace, then submitted through
  the same ``submit_file`` as ``listen submit``;
- ``pages``: the HTML (plain forms, no JavaScript, every stored text escaped);
- ``worker``: the background transcription thread;
- ``web``: the aiohttp application (and textual-serve's app under ``/app/``).

aiohttp and textual-serve are imported here only: ``listen --help`` never loads them.
"""
