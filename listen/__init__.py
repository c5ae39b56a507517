"""listen: hear your customers together, fix the system, not the person."""

__version__ = "0.1.0"
