"""The engine: drives a real Chromium through the recipes. Independent of the CLI."""
