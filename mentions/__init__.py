"""school-mentions: the shared core (settings, the Post model, errors, the command line)."""

__version__ = "0.1.0"
