"""The workspace database (TinyDB, atomic, cross-process safe) and per-clip files."""

from listen.store.store import Store, Transaction, View

__all__ = ["Store", "Transaction", "View"]
