"""Search across everything the team stored: transcripts, quotes, rep views, gaps, ideas, notes.

The index is SQLite FTS5 (standard library) in ``<workspace>/.cache/search.sqlite``: derived data,
rebuilt from the database whenever it is missing, damaged or of another version (losing it loses
nothing), and kept current by the store after each commit (``live.py``). No Textual here.
"""

from listen.search.entries import Entry
from listen.search.index import SearchIndex, index_path
from listen.search.query import Hit, search

__all__ = ["Entry", "Hit", "SearchIndex", "index_path", "search"]
