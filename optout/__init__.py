"""optout: find and switch off the AI-training settings platforms turn on by default."""

__version__ = "0.1.0"
