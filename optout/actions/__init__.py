"""What each command does, between the CLI and the engine.

An action takes plain options (no typer context, no typer types) and returns a result object
that says what happened: the results, the warnings, what to notify, the exit code. The typer
functions in optout.cli parse the options, call an action and render what it returns
(optout.cli.render), so a command's work can be read, and called, without the CLI around it.
"""
