"""optout: find and switch off the AI-training settings platforms turn on by default."""

# The one place the version is written: the package metadata takes it from here at build time
# (pyproject.toml, tool.hatch.version), and recipes' min_optout is checked against it at no cost.
__version__ = "0.1.0"
