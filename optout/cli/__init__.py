"""The command-line layer: parses options, calls the engine and loaders, prints results."""
