"""Run optout unattended: the crontab line, systemd user timer and launchd agent that do it, and
installing them.

Schedulers start commands with a bare environment (cron's PATH is /usr/bin:/bin, no OPTOUT_*
variables), so everything is spelled out: the absolute path of this very optout, the absolute
home directory, and any --recipes/--browser/--origin in effect. Notification URLs hold secrets
and are deliberately not on the command line (crontab -l and `systemctl cat` show it to anyone
looking): the scheduled run reads them from the home's config.json.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from optout.errors import OptoutError, first_line

if TYPE_CHECKING:
    from optout.global_options import GlobalOptions

# Tags the crontab line we own, so --install replaces it instead of adding one: a marker nobody
# writes by hand, one per home (two homes may each have their schedule).
MARKER_PREFIX = "# optout-schedule:v1"
# What optout wrote before that: a line ending in it is ours only when it is exactly such a line.
LEGACY_MARKER = "# optout"
UNIT = "optout"
CRONTAB = "crontab"  # the program; tests point it at a fake
LAUNCHCTL = "launchctl"
PLUTIL = "plutil"
AGENT_LABEL = "org.optout.unattended.schedule"
ENABLE_HINT = f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer"
LINGER_HINT = "timers run only while you are logged in unless you run: loginctl enable-linger $USER"


class Every(str, Enum):
    DAILY = "daily"
    WEEKLY = "weekly"


# A fixed, unremarkable time: daily at 09:17, weekly on Mondays. Cron does not catch up on missed
# runs; the systemd timer does (Persistent=true).
CRON_TIMES = {Every.DAILY: "17 9 * * *", Every.WEEKLY: "17 9 * * 1"}


def find_executable() -> list[str]:
    """The argv prefix that starts the optout running now: its console script when that is how
    it was started, else the one on PATH, else this Python with -m optout."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "optout" and argv0.is_file():
        return [str(argv0.absolute())]
    if argv0 is not None and argv0.name == "__main__.py" and argv0.parent.name == "optout":
        return [str(Path(sys.executable).absolute()), "-m", "optout"]
    found = shutil.which("optout")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "optout"]


def run_args(fix: bool, html: Path | None = None, include: str | None = None) -> list[str]:
    """What the scheduled run does: check, or with --fix switch the default settings off (and
    those of the categories `include` names, as `disable --include` does). --quiet: cron mails
    any output, so there is output only when something needs the user. With `html`, each run also
    rewrites that page (an absolute path: the scheduler runs elsewhere)."""
    args = ["disable", "--all", "--quiet"] if fix else ["status", "--quiet"]
    if fix and include:
        args += ["--include", include]
    return args + (["--html", str(html.expanduser().absolute())] if html is not None else [])


def global_options(settings: GlobalOptions) -> list[str]:
    """The run-wide options in effect now, as arguments, so the scheduled run sees the same
    recipes, browser and origins even though it gets none of the user's environment."""
    args: list[str] = []
    if settings.recipes is not None:
        args += ["--recipes", str(settings.recipes.expanduser().absolute())]
    if settings.browser is not None:
        browser = settings.browser.expanduser()
        if browser.parent == Path():  # a bare name: find it on today's PATH, cron's is shorter
            found = shutil.which(str(browser))
            browser = Path(found) if found else browser
        args += ["--browser", str(browser.absolute()) if browser.parent != Path() else str(browser)]
    for platform, origin in settings.origins.items():
        args += ["--origin", f"{platform}={origin}"]
    return args


def command(exe: Sequence[str], home: Path, args: Sequence[str], options: Sequence[str] = ()) -> list[str]:
    """The full argv: `<exe> --home <HOME> [options] <args>`, with absolute paths."""
    return [*exe, "--home", str(home.expanduser().absolute()), *options, *args]


# --- cron ---------------------------------------------------------------------------------


def _cron_quote(arg: str) -> str:
    # The line goes through /bin/sh; cron itself turns an unescaped % into a newline.
    return shlex.quote(arg).replace("%", "\\%")


def marker(home: Path) -> str:
    """The tag of the crontab line that runs optout on this home."""
    import hashlib  # this module loads with every command (`--every` is an option); this only here

    digest = hashlib.sha256(str(home.expanduser().absolute()).encode()).hexdigest()[:12]
    return f"{MARKER_PREFIX} home={digest}"


def cron_line(argv: Sequence[str], every: Every, home: Path) -> str:
    """One crontab line, tagged with the home's marker (sh reads it as a comment)."""
    return f"{CRON_TIMES[every]} {' '.join(_cron_quote(a) for a in argv)} {marker(home)}"


def is_ours(line: str, home: Path) -> bool:
    """An active crontab line written by `optout schedule` for this home (commented-out ones are
    left alone)."""
    text = line.strip()
    if not text or text.startswith("#"):
        return False
    return text.endswith(" " + marker(home)) or _written_before_v1(text, home)


def _written_before_v1(text: str, home: Path) -> bool:
    """Exactly a line an earlier optout wrote for this home (schedule, optout, --home, the run,
    then `# optout`): a user's own line that merely ends in `# optout` is not one."""
    fields = text.split(None, 5)
    if len(fields) < 6 or " ".join(fields[:5]) not in CRON_TIMES.values() or not text.endswith(" " + LEGACY_MARKER):
        return False
    try:
        argv = shlex.split(fields[5].replace("\\%", "%"))
    except ValueError:
        return False
    argv = argv[: -len(LEGACY_MARKER.split())]
    runs_optout = bool(argv) and (Path(argv[0]).name == "optout" or argv[1:3] == ["-m", "optout"])
    home_at = argv.index("--home") + 1 if "--home" in argv else len(argv)
    return (
        runs_optout
        and argv[home_at : home_at + 1] == [str(home.expanduser().absolute())]
        and any(argv[-len(run_args(fix)) :] == run_args(fix) for fix in (False, True))
    )


def merge_crontab(current: str, line: str, home: Path) -> str:
    """The user's crontab with our line for this home replaced (or added), every other line kept
    as it was."""
    kept = [ln for ln in current.splitlines() if not is_ours(ln, home)]
    return "\n".join([*kept, line]) + "\n"


def install_crontab(line: str, home: Path) -> str:
    """Put `line` into the user's crontab, replacing an earlier optout line for the same home;
    say what was done."""
    program = CRONTAB
    if shutil.which(program) is None:
        raise OptoutError(f"{program} not found; add this line to your scheduler by hand:\n{line}")
    listed = subprocess.run([program, "-l"], capture_output=True, text=True, check=False)
    if listed.returncode == 0:
        current = listed.stdout
    elif "no crontab" in listed.stderr.lower():
        current = ""
    else:
        raise OptoutError(f"crontab -l failed: {first_line(listed.stderr)}")
    replaced = any(is_ours(ln, home) for ln in current.splitlines())
    written = subprocess.run(
        [program, "-"], input=merge_crontab(current, line, home), capture_output=True, text=True, check=False
    )
    if written.returncode != 0:
        raise OptoutError(f"crontab - failed: {first_line(written.stderr)}")
    return f"{'replaced the' if replaced else 'added an'} optout line in your crontab:\n{line}"


def remove_crontab(home: Path) -> str | None:
    """Take optout's line for this home out of the user's crontab, every other line kept; say what
    was done, None when there was none (or no crontab at all)."""
    if shutil.which(CRONTAB) is None:
        return None
    listed = subprocess.run([CRONTAB, "-l"], capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        if "no crontab" in listed.stderr.lower():
            return None
        raise OptoutError(f"crontab -l failed: {first_line(listed.stderr)}")
    lines = listed.stdout.splitlines()
    kept = [ln for ln in lines if not is_ours(ln, home)]
    if len(kept) == len(lines):
        return None
    text = "\n".join(kept) + "\n" if kept else ""
    written = subprocess.run([CRONTAB, "-"], input=text, capture_output=True, text=True, check=False)
    if written.returncode != 0:
        raise OptoutError(f"crontab - failed: {first_line(written.stderr)}")
    return "removed the optout line from your crontab"


def _runs_home(text: str, quoted: str) -> bool:
    """Whether a unit's or agent's text runs optout on the home, written as `quoted`."""
    return f" --home {quoted} " in text or f"<string>{quoted}</string>" in text


# --- systemd ------------------------------------------------------------------------------


def _systemd_quote(arg: str) -> str:
    """One ExecStart argument: double-quoted when needed, with % (specifiers) and $ (variables)
    doubled so systemd passes them through literally."""
    if not re.fullmatch(r"[\w@+=:,./-]+", arg):
        arg = '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return arg.replace("%", "%%").replace("$", "$$")


def service_unit(argv: Sequence[str], fix: bool) -> str:
    what = "switch off AI-training settings" if fix else "check AI-training settings"
    return (
        "[Unit]\n"
        f"Description=optout: {what}\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in argv)}\n"
        "# The home directory holds login sessions: keep everything the run writes private.\n"
        "UMask=0077\n"
    )


def timer_unit(every: Every) -> str:
    return (
        "[Unit]\n"
        f"Description=Run optout {every.value}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar={every.value}\n"
        "# Catch up after the machine was off; spread the load on the platforms.\n"
        "Persistent=true\n"
        "RandomizedDelaySec=1h\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def unit_dir() -> Path:
    """Where systemd looks for the user's own units."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user"


def systemctl() -> str | None:
    """The systemctl program, or None on systems without systemd."""
    return shutil.which("systemctl")


def systemd_usable(program: str | None = None) -> bool:
    """True when a systemd user manager answers (not the case in containers, over plain ssh
    without lingering, or on non-systemd systems)."""
    program = program or systemctl()
    if program is None:
        return False
    try:
        probe = subprocess.run([program, "--user", "show-environment"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def install_systemd(service: str, timer: str, directory: Path | None = None, program: str | None = None) -> str:
    """Write optout.service and optout.timer, then enable the timer if systemctl exists; say
    what was done and what is left for the user."""
    directory = directory or unit_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in ((f"{UNIT}.service", service), (f"{UNIT}.timer", timer)):
        _write_atomic(directory / name, text)
    wrote = f"wrote {directory / (UNIT + '.service')} and {UNIT}.timer"
    program = program if program is not None else systemctl()
    if program is None:
        return f"{wrote}\nsystemctl not found: nothing enabled. Where systemd runs, enable with:\n  {ENABLE_HINT}"
    for args in (["daemon-reload"], ["enable", "--now", f"{UNIT}.timer"]):
        done = subprocess.run([program, "--user", *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise OptoutError(
                f"{wrote}, but `systemctl --user {' '.join(args)}` failed: {first_line(done.stderr)}\n"
                f"enable it by hand: {ENABLE_HINT}"
            )
    return f"{wrote}\nenabled {UNIT}.timer ({LINGER_HINT})"


def remove_systemd(home: Path, directory: Path | None = None, program: str | None = None) -> str | None:
    """Stop and delete optout's timer and service when they run this home; say what was done,
    None when there are none for it."""
    directory = directory or unit_dir()
    service = directory / f"{UNIT}.service"
    try:
        text = service.read_text(encoding="utf-8")
    except OSError:
        return None
    if not _runs_home(text, _systemd_quote(str(home.expanduser().absolute()))):
        return None
    program = program if program is not None else systemctl()
    if program is not None:
        subprocess.run([program, "--user", "disable", "--now", f"{UNIT}.timer"], capture_output=True, check=False)
    for path in (directory / f"{UNIT}.timer", service):
        path.unlink(missing_ok=True)
    if program is not None:
        subprocess.run([program, "--user", "daemon-reload"], capture_output=True, check=False)
    return f"stopped and removed {UNIT}.timer and {UNIT}.service from {directory}"


# --- launchd (macOS) ----------------------------------------------------------------------


def launch_agent(argv: Sequence[str], every: Every, home: Path) -> str:
    """A LaunchAgent plist running argv at the cron line's time. launchd runs a missed job when
    the Mac wakes, passes argv without a shell (no quoting to get wrong), and discards output
    unless told where: the --quiet output goes to a log in the home."""
    import plistlib

    minute, hour, _, _, weekday = CRON_TIMES[every].split()
    when = {"Hour": int(hour), "Minute": int(minute)} | ({} if weekday == "*" else {"Weekday": int(weekday)})
    log = str(home.expanduser().absolute() / "schedule.log")
    agent = {
        "Label": AGENT_LABEL,
        "ProgramArguments": list(argv),
        "StartCalendarInterval": when,
        "StandardOutPath": log,
        "StandardErrorPath": log,
        "Umask": 0o077,  # the home holds login sessions: keep everything the run writes private
        "ProcessType": "Background",
    }
    return plistlib.dumps(agent, sort_keys=False).decode()


def is_macos() -> bool:
    """Whether launchd is the scheduler this system has (the default of `--via`)."""
    return sys.platform == "darwin"


def agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"


def lint_plist(path: Path) -> None:
    """Check a plist with macOS's own `plutil -lint` where it exists, else by parsing it."""
    import plistlib
    from xml.parsers.expat import ExpatError

    program = shutil.which(PLUTIL)
    if program is not None:
        done = subprocess.run([program, "-lint", str(path)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise OptoutError(f"{path} is not a valid plist: {first_line(done.stdout + done.stderr)}")
        return
    try:
        plistlib.loads(path.read_bytes())
    except (plistlib.InvalidFileException, ExpatError, ValueError) as exc:
        raise OptoutError(f"{path} is not a valid plist: {first_line(exc)}") from None


def install_launchd(plist: str, path: Path | None = None) -> str:
    """Write the agent and (re)load it into the user's launchd session; say what was done."""
    path = path or agent_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, plist)
    lint_plist(path)
    program = shutil.which(LAUNCHCTL)
    if program is None:
        return f"wrote {path}\nlaunchctl not found: nothing loaded. On macOS load it with: launchctl load -w {path}"
    domain = f"gui/{os.getuid()}"
    # bootout lets an agent loaded earlier be replaced; it fails harmlessly when none is loaded.
    subprocess.run([program, "bootout", f"{domain}/{AGENT_LABEL}"], capture_output=True, check=False)
    loaded = subprocess.run([program, "bootstrap", domain, str(path)], capture_output=True, text=True, check=False)
    if loaded.returncode != 0:  # macOS before 10.11, or a session without a GUI domain
        loaded = subprocess.run([program, "load", "-w", str(path)], capture_output=True, text=True, check=False)
    if loaded.returncode != 0:
        raise OptoutError(
            f"wrote {path}, but launchctl could not load it: {first_line(loaded.stderr)}\n"
            f"load it by hand: launchctl load -w {path}"
        )
    return f"wrote {path}\nloaded {AGENT_LABEL} into launchd (it runs while you are logged in)"


def remove_launchd(home: Path, path: Path | None = None) -> str | None:
    """Unload and delete optout's launch agent when it runs this home; say what was done, None
    when there is none for it."""
    from html import escape

    path = path or agent_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    if not _runs_home(text, escape(str(home.expanduser().absolute()), quote=False)):
        return None
    program = shutil.which(LAUNCHCTL)
    if program is not None:
        subprocess.run([program, "bootout", f"gui/{os.getuid()}/{AGENT_LABEL}"], capture_output=True, check=False)
    path.unlink(missing_ok=True)
    return f"unloaded and removed {path}"


def _write_atomic(path: Path, text: str) -> None:
    """Replace path in one step. Unit files are not secret, and the user's ~/.config must keep
    its permissions, so this is not storage.write_private."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
