"""The crontab line and systemd units run the right optout, on the right home, and install cleanly."""

from __future__ import annotations

import json
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from optout.errors import OptoutError
from optout.global_options import GlobalOptions
from optout.home.user_config import UserConfig
from optout.unattended import schedule as sched
from tests.helpers import invoke

CRON_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"}  # what cron gives


def exe() -> list[str]:
    script = Path(sys.executable).parent / "optout"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "optout"]


def awkward_home(tmp_path: Path) -> Path:
    """A home whose path needs quoting for sh, cron (%) and systemd (%, $, spaces)."""
    home = tmp_path / "my home 100% $USER's"
    UserConfig(home).set("region", "GB")
    return home


def cron_command(line: str) -> str:
    """What cron hands to /bin/sh: the sixth field on, with `\\%` turned into `%` (an unescaped
    % would end the command)."""
    command = line.split(None, 5)[5]
    out, i = [], 0
    while i < len(command):
        if command[i] == "\\" and command[i + 1 : i + 2] == "%":
            out.append("%")
            i += 2
            continue
        assert command[i] != "%", "unescaped % in a crontab command"
        out.append(command[i])
        i += 1
    return "".join(out)


def exec_start(service: str) -> list[str]:
    """ExecStart's argv the way systemd reads it (double quotes, %% and $$ escapes)."""
    line = next(ln for ln in service.splitlines() if ln.startswith("ExecStart="))
    value = line.removeprefix("ExecStart=").replace("%%", "%").replace("$$", "$")
    return shlex.split(value)


# --- crontab ------------------------------------------------------------------------------


def test_cron_line_schedule_and_command(tmp_path: Path) -> None:
    home = tmp_path / "h"
    daily = sched.cron_line(sched.command(["/opt/bin/optout"], home, sched.run_args(False)), sched.Every.DAILY, home)
    assert daily.split()[:5] == ["17", "9", "*", "*", "*"]
    assert daily.endswith(f" {sched.marker(home)}") and sched.marker(home).startswith("# optout-schedule:v1 home=")
    assert sched.marker(home) != sched.marker(tmp_path)
    assert shlex.split(cron_command(daily), comments=True) == [
        "/opt/bin/optout",
        "--home",
        str(home),
        "status",
        "--quiet",
    ]
    weekly = sched.cron_line(sched.command(["/opt/bin/optout"], home, sched.run_args(True)), sched.Every.WEEKLY, home)
    assert weekly.split()[:5] == ["17", "9", "*", "*", "1"]
    assert shlex.split(cron_command(weekly), comments=True)[-3:] == ["disable", "--all", "--quiet"]


def test_the_cron_command_runs_optout_on_that_home_in_crons_environment(tmp_path: Path) -> None:
    home = awkward_home(tmp_path)
    line = sched.cron_line(sched.command(exe(), home, ["config", "show", "--json"]), sched.Every.DAILY, home)
    done = subprocess.run(
        ["/bin/sh", "-c", cron_command(line)],
        env=CRON_ENV,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["region"] == "GB"


def test_global_options_carry_over(tmp_path: Path) -> None:
    recipes = tmp_path / "mine.yaml"
    settings = GlobalOptions(
        home=tmp_path, recipes=recipes, browser=Path("/usr/bin/chromium"), origins={"linkedin": "http://127.0.0.1:8001"}
    )
    argv = sched.command(["/o"], tmp_path, ["status"], sched.global_options(settings))
    assert argv == [
        "/o",
        "--home",
        str(tmp_path),
        "--recipes",
        str(recipes),
        "--browser",
        "/usr/bin/chromium",
        "--origin",
        "linkedin=http://127.0.0.1:8001",
        "status",
    ]


def test_merge_crontab_replaces_only_our_line_for_that_home() -> None:
    home, other = Path("/h/one"), Path("/h/two")
    ours, theirs = sched.marker(home), sched.marker(other)
    current = (
        f"MAILTO=me@example.com\n0 1 * * * backup  # nightly\n# 1 2 * * * old {ours}\n"
        f"5 5 * * * /x/optout --home /h/one status {ours}\n7 7 * * * /x/optout --home /h/two status {theirs}\n"
    )
    merged = sched.merge_crontab(current, f"17 9 * * * /y/optout status --quiet {ours}", home)
    assert merged.splitlines() == [
        "MAILTO=me@example.com",
        "0 1 * * * backup  # nightly",
        f"# 1 2 * * * old {ours}",
        f"7 7 * * * /x/optout --home /h/two status {theirs}",
        f"17 9 * * * /y/optout status --quiet {ours}",
    ]
    assert sched.merge_crontab("", "L", home) == "L\n"


def test_a_users_own_line_ending_in_the_old_marker_is_kept(tmp_path: Path) -> None:
    """Before the v1 marker, optout took every line ending in `# optout` as its own; now only
    exactly the line it wrote then (for this home) is replaced."""
    home = tmp_path / "my home 100%"
    old_lines = [
        sched.cron_line(sched.command(exe(), home, sched.run_args(fix)), every, home).replace(
            sched.marker(home), sched.LEGACY_MARKER
        )
        for fix in (False, True)
        for every in sched.Every
    ]
    mine = [
        "30 6 * * * /usr/local/bin/backup.sh # optout",
        f"17 9 * * * {exe()[0]} --home /elsewhere status --quiet # optout",
        f"17 9 * * * {exe()[0]} --home '{home}' status --quiet --json # optout",
        "17 9 * * * /opt/bin/optout-helper status --quiet # optout",
    ]
    new = sched.cron_line(sched.command(exe(), home, sched.run_args(False)), sched.Every.DAILY, home)
    for old in old_lines:
        assert sched.merge_crontab("\n".join([*mine, old]), new, home).splitlines() == [*mine, new]


@pytest.fixture
def fake_crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `crontab` that keeps the table in a file, like the real one keeps it in /var/spool."""
    table = tmp_path / "crontab.txt"
    program = tmp_path / "crontab"
    program.write_text(
        "#!/bin/sh\n"
        f'T="{table}"\n'
        'case "$1" in\n'
        '  -l) [ -f "$T" ] && exec cat "$T"; echo "no crontab for $(id -un)" >&2; exit 1;;\n'
        '  -) cat > "$T";;\n'
        "  *) exit 2;;\n"
        "esac\n"
    )
    program.chmod(0o755)
    monkeypatch.setattr(sched, "CRONTAB", str(program))
    return table


def test_install_crontab_adds_then_replaces(fake_crontab: Path) -> None:
    home, mark = Path("/h"), sched.marker(Path("/h"))
    assert sched.install_crontab(f"1 1 * * * a {mark}", home).startswith("added an optout line")
    fake_crontab.write_text(fake_crontab.read_text() + "0 0 * * * mine # optout\n")
    assert sched.install_crontab(f"2 2 * * * b {mark}", home).startswith("replaced the optout line")
    assert fake_crontab.read_text() == f"0 0 * * * mine # optout\n2 2 * * * b {mark}\n"


def test_install_crontab_without_crontab_prints_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sched, "CRONTAB", "/nonexistent/crontab")
    with pytest.raises(OptoutError, match=r"not found; add this line .*\n1 1 \* \* \* a # optout$"):
        sched.install_crontab("1 1 * * * a # optout", Path("/h"))


# --- systemd ------------------------------------------------------------------------------


def test_service_has_absolute_exec_start_and_timer_the_calendar(tmp_path: Path) -> None:
    home = awkward_home(tmp_path)
    service = sched.service_unit(sched.command(exe(), home, sched.run_args(True)), fix=True)
    argv = exec_start(service)
    assert Path(argv[0]).is_absolute() and Path(argv[0]).exists()
    assert argv[argv.index("--home") + 1] == str(home)
    assert argv[-3:] == ["disable", "--all", "--quiet"]
    assert "Type=oneshot" in service.splitlines()
    assert "OnCalendar=daily" in sched.timer_unit(sched.Every.DAILY).splitlines()
    timer = sched.timer_unit(sched.Every.WEEKLY)
    assert "OnCalendar=weekly" in timer.splitlines() and "WantedBy=timers.target" in timer.splitlines()


def test_exec_start_runs_optout_on_that_home(tmp_path: Path) -> None:
    home = awkward_home(tmp_path)
    argv = exec_start(sched.service_unit(sched.command(exe(), home, ["config", "show", "--json"]), fix=False))
    done = subprocess.run(argv, env=CRON_ENV, cwd="/", capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["region"] == "GB"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    home = awkward_home(tmp_path)
    units = tmp_path / "units"
    units.mkdir()
    (units / "optout.service").write_text(sched.service_unit(sched.command(exe(), home, ["status"]), fix=False))
    (units / "optout.timer").write_text(sched.timer_unit(sched.Every.WEEKLY))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(units / "optout.service"), str(units / "optout.timer")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if "Failed to initialize manager" in done.stderr:
        pytest.skip("systemd-analyze cannot run here")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""


def fake_systemctl(tmp_path: Path, rc: int = 0) -> tuple[str, Path]:
    log = tmp_path / "systemctl.log"
    program = tmp_path / "systemctl"
    program.write_text(
        f'#!/bin/sh\necho "$*" >> "{log}"\n[ {rc} = 0 ] || echo "Failed to connect to bus" >&2\nexit {rc}\n'
    )
    program.chmod(0o755)
    return str(program), log


def test_install_systemd_writes_units_and_enables_the_timer(tmp_path: Path) -> None:
    program, log = fake_systemctl(tmp_path)
    units = tmp_path / "config" / "systemd" / "user"
    said = sched.install_systemd("S\n", "T\n", units, program)
    assert (units / "optout.service").read_text() == "S\n"
    assert (units / "optout.timer").read_text() == "T\n"
    assert log.read_text().splitlines() == ["--user daemon-reload", "--user enable --now optout.timer"]
    assert "enabled optout.timer" in said and "enable-linger" in said


def test_install_systemd_without_systemctl_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sched, "systemctl", lambda: None)
    said = sched.install_systemd("S\n", "T\n", tmp_path / "u")
    assert "systemctl not found: nothing enabled" in said
    assert "systemctl --user enable --now optout.timer" in said


def test_install_systemd_failure_is_one_clear_error(tmp_path: Path) -> None:
    program, _ = fake_systemctl(tmp_path, rc=1)
    with pytest.raises(OptoutError, match="daemon-reload` failed: Failed to connect to bus\nenable it by hand"):
        sched.install_systemd("S\n", "T\n", tmp_path / "u", program)


def test_find_executable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "bin" / "optout"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "argv", [str(script), "schedule"])
    assert sched.find_executable() == [str(script)]
    monkeypatch.setattr(sys, "argv", [str(Path(sched.__file__).parent / "__main__.py")])
    assert sched.find_executable() == [str(Path(sys.executable).absolute()), "-m", "optout"]
    monkeypatch.setattr(sys, "argv", ["pytest"])
    monkeypatch.setenv("PATH", str(script.parent))
    script.chmod(0o755)
    assert sched.find_executable() == [str(script)]


# --- `optout schedule` --------------------------------------------------------------------


def test_schedule_prints_both_and_warns_without_notify(tmp_path: Path) -> None:
    res = invoke("--home", str(tmp_path), "schedule", "--every", "weekly")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    cron = next(ln for ln in lines if ln.endswith(sched.marker(tmp_path)))
    assert cron.startswith("17 9 * * 1 ")
    assert shlex.split(cron_command(cron), comments=True)[-4:] == ["--home", str(tmp_path), "status", "--quiet"]
    assert "OnCalendar=weekly" in lines
    assert any(ln.startswith("ExecStart=/") for ln in lines)
    assert "no notification URL is configured" in res.stderr


def test_schedule_via_cron_prints_just_the_line(tmp_path: Path) -> None:
    UserConfig(tmp_path).set("notify", "json://127.0.0.1:9/")
    res = invoke("--home", str(tmp_path), "schedule", "--via", "cron", "--fix")
    assert res.exit_code == 0
    assert res.stdout.count("\n") == 1 and res.stdout.startswith("17 9 * * * /")
    assert f" disable --all --quiet {sched.marker(tmp_path)}" in res.stdout
    assert res.stderr == ""
    assert "json://" not in res.stdout  # secrets stay in config.json


def test_schedule_fix_include_widens_the_scheduled_disable(tmp_path: Path) -> None:
    """`disable --all` switches training settings only; a scheduled fix that should also switch
    X's Grok memory off says so once, and a typo is refused now, not at the scheduled run."""
    res = invoke("--home", str(tmp_path), "schedule", "--via", "cron", "--fix", "--include", "sharing,ai-use")
    assert res.exit_code == 0, res.stderr
    argv = shlex.split(cron_command(res.stdout.strip()), comments=True)
    assert argv[-5:] == ["disable", "--all", "--quiet", "--include", "ai-use,sharing"]
    assert (
        invoke("--home", str(tmp_path), "schedule", "--via", "cron", "--include", "ai-use").exit_code == 2
    )  # status checks them all
    res = invoke("--home", str(tmp_path), "schedule", "--via", "cron", "--fix", "--include", "ai")
    assert res.exit_code == 2 and "unknown category 'ai'" in res.stderr


def test_schedule_html_keeps_a_page_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    UserConfig(tmp_path).set("notify", "json://127.0.0.1:9/")
    res = invoke("--home", str(tmp_path), "schedule", "--via", "cron", "--html", "where.html")
    assert res.exit_code == 0, res.stderr
    argv = shlex.split(cron_command(res.stdout.strip()), comments=True)
    assert argv[-4:] == ["status", "--quiet", "--html", str(tmp_path / "where.html")]  # absolute: cron runs elsewhere
    res = invoke(
        "--home", str(tmp_path), "schedule", "--via", "cron", "--html", str(tmp_path / "missing" / "where.html")
    )
    assert res.exit_code == 2 and "does not exist" in res.stderr


def test_schedule_install_via_cron(tmp_path: Path, fake_crontab: Path) -> None:
    res = invoke("--home", str(tmp_path), "schedule", "--install", "--via", "cron")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("added an optout line in your crontab:")
    assert fake_crontab.read_text().endswith(f" status --quiet {sched.marker(tmp_path)}\n")
    assert invoke("--home", str(tmp_path), "schedule", "--install", "--via", "cron").stdout.startswith(
        "replaced the optout line"
    )


def test_schedule_install_auto_falls_back_to_cron(
    tmp_path: Path, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sched, "systemctl", lambda: None)
    res = invoke("--home", str(tmp_path), "schedule", "--install")
    assert res.exit_code == 0, res.stderr
    assert fake_crontab.exists()


def test_schedule_install_via_systemd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program, log = fake_systemctl(tmp_path)
    monkeypatch.setattr(sched, "systemctl", lambda: program)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    res = invoke(
        "--home", str(tmp_path / "home"), "schedule", "--install", "--every", "weekly"
    )  # auto: the fake manager answers
    assert res.exit_code == 0, res.stderr
    units = tmp_path / "xdg" / "systemd" / "user"
    assert "OnCalendar=weekly" in (units / "optout.timer").read_text()
    assert exec_start((units / "optout.service").read_text())[-4:] == [
        "--home",
        str(tmp_path / "home"),
        "status",
        "--quiet",
    ]
    assert log.read_text().splitlines()[-1] == "--user enable --now optout.timer"
    assert os.stat(units / "optout.service").st_mode & 0o777 == 0o644


def test_schedule_bad_every_is_a_usage_error(tmp_path: Path) -> None:
    assert invoke("--home", str(tmp_path), "schedule", "--every", "hourly").exit_code == 2


def test_a_failing_crontab_is_one_line_with_its_first_line_of_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "crontab"
    program.write_text(
        '#!/bin/sh\n[ "$1" = -l ] && exit 0\nprintf "\\n  crontab: cannot write  \\ndetails\\n" >&2\nexit 1\n'
    )
    program.chmod(0o755)
    monkeypatch.setattr(sched, "CRONTAB", str(program))
    with pytest.raises(OptoutError, match=r"^crontab - failed: crontab: cannot write$"):
        sched.install_crontab("1 1 * * * a # optout", Path("/h"))


# --- launchd ------------------------------------------------------------------------------


def test_the_launch_agent_runs_the_cron_lines_command_at_its_time(tmp_path: Path) -> None:
    home = awkward_home(tmp_path)
    argv = sched.command(exe(), home, sched.run_args(True), ["--origin", "x=http://127.0.0.1:1"])
    for every in sched.Every:
        plist = tmp_path / f"{every.value}.plist"
        plist.write_text(sched.launch_agent(argv, every, home))
        sched.lint_plist(plist)  # plutil -lint on a Mac, plistlib here
        agent = plistlib.loads(plist.read_bytes())
        cron = shlex.split(cron_command(sched.cron_line(argv, every, home)), comments=True)
        assert agent["ProgramArguments"] == cron == argv
        assert agent["ProgramArguments"][-3:] == ["disable", "--all", "--quiet"]
        assert all(Path(a).is_absolute() for a in (argv[0], str(home)))
        minute, hour, _, _, weekday = sched.CRON_TIMES[every].split()
        when = agent["StartCalendarInterval"]
        assert (when["Minute"], when["Hour"], when.get("Weekday", "*")) == (
            int(minute),
            int(hour),
            int(weekday) if weekday != "*" else "*",
        )
        assert agent["Label"] == sched.AGENT_LABEL and agent["Umask"] == 0o077
        assert agent["StandardOutPath"] == str(home / "schedule.log")


def test_a_broken_plist_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.plist"
    bad.write_text("<plist><dict><key>Label</key></plist>")
    monkeypatch.setattr(sched, "PLUTIL", "/nonexistent/plutil")
    with pytest.raises(OptoutError, match="is not a valid plist"):
        sched.lint_plist(bad)
    plutil = tmp_path / "plutil"
    plutil.write_text('#!/bin/sh\necho "$2: Encountered unexpected element"\nexit 1\n')
    plutil.chmod(0o755)
    monkeypatch.setattr(sched, "PLUTIL", str(plutil))
    with pytest.raises(OptoutError, match="Encountered unexpected element"):
        sched.lint_plist(bad)


def test_schedule_via_launchd_prints_just_the_plist(tmp_path: Path) -> None:
    res = invoke("--home", str(tmp_path), "schedule", "--via", "launchd", "--every", "weekly")
    assert res.exit_code == 0, res.stderr
    agent = plistlib.loads(res.stdout.encode())
    assert agent["ProgramArguments"][-4:] == ["--home", str(tmp_path), "status", "--quiet"]
    assert agent["StartCalendarInterval"]["Weekday"] == 1
    assert "LaunchAgents/org.optout.unattended.schedule.plist" in res.stderr


def test_via_defaults_to_launchd_on_macos_and_to_both_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sched, "is_macos", lambda: True)
    assert plistlib.loads(invoke("--home", str(tmp_path), "schedule").stdout.encode())["Label"] == sched.AGENT_LABEL
    monkeypatch.setattr(sched, "is_macos", lambda: False)
    out = invoke("--home", str(tmp_path), "schedule").stdout
    assert "OnCalendar=daily" in out and sched.marker(tmp_path) in out and "<plist" not in out


def fake_launchctl(tmp_path: Path, bootstrap_rc: int = 0) -> Path:
    log = tmp_path / "launchctl.log"
    program = tmp_path / "launchctl"
    program.write_text(
        f'#!/bin/sh\necho "$*" >> "{log}"\n'
        f'case "$1" in bootout) exit 3;; bootstrap) exit {bootstrap_rc};; esac\nexit 0\n'
    )
    program.chmod(0o755)
    return program


def test_schedule_install_via_launchd_writes_and_loads_the_agent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setattr(sched, "is_macos", lambda: True)
    monkeypatch.setattr(sched, "LAUNCHCTL", str(fake_launchctl(tmp_path)))
    res = invoke("--home", str(tmp_path / "home"), "schedule", "--install", "--fix")  # auto: launchd on a Mac
    assert res.exit_code == 0, res.stderr
    path = tmp_path / "user" / "Library" / "LaunchAgents" / "org.optout.unattended.schedule.plist"
    assert plistlib.loads(path.read_bytes())["ProgramArguments"][-3:] == ["disable", "--all", "--quiet"]
    assert os.stat(path).st_mode & 0o777 == 0o644
    uid = os.getuid()
    assert (tmp_path / "launchctl.log").read_text().splitlines() == [
        f"bootout gui/{uid}/org.optout.unattended.schedule",  # replaces an agent loaded before; fails when none is
        f"bootstrap gui/{uid} {path}",
    ]
    assert f"loaded {sched.AGENT_LABEL}" in res.stdout


def test_install_launchd_falls_back_to_load_and_explains_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sched, "LAUNCHCTL", str(fake_launchctl(tmp_path, bootstrap_rc=5)))
    path = tmp_path / "agents" / "a.plist"
    assert "loaded" in sched.install_launchd(sched.launch_agent(["/x/optout"], sched.Every.DAILY, tmp_path), path)
    assert (tmp_path / "launchctl.log").read_text().splitlines()[-1] == f"load -w {path}"
    monkeypatch.setattr(sched, "LAUNCHCTL", "/nonexistent/launchctl")
    said = sched.install_launchd(sched.launch_agent(["/x/optout"], sched.Every.DAILY, tmp_path), path)
    assert "launchctl not found: nothing loaded" in said and f"launchctl load -w {path}" in said


# --- --remove -----------------------------------------------------------------------------


def test_remove_takes_out_only_the_line_of_that_home(tmp_path: Path, fake_crontab: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    mine = "0 0 * * * mine # optout"
    ours = {
        h: sched.cron_line(sched.command(exe(), h, sched.run_args(False)), sched.Every.DAILY, h) for h in (here, there)
    }
    fake_crontab.write_text(f"{mine}\n{ours[here]}\n# {ours[here]}\n{ours[there]}\n")
    assert sched.remove_crontab(here) == "removed the optout line from your crontab"
    assert fake_crontab.read_text() == f"{mine}\n# {ours[here]}\n{ours[there]}\n"
    assert sched.remove_crontab(here) is None


def test_schedule_remove_via_cron(tmp_path: Path, fake_crontab: Path) -> None:
    assert invoke("--home", str(tmp_path), "schedule", "--install", "--via", "cron").exit_code == 0
    fake_crontab.write_text("0 0 * * * mine\n" + fake_crontab.read_text())
    res = invoke("--home", str(tmp_path), "schedule", "--remove", "--via", "cron")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "removed the optout line from your crontab\n"
    assert fake_crontab.read_text() == "0 0 * * * mine\n"
    again = invoke("--home", str(tmp_path), "schedule", "--remove", "--via", "cron")
    assert again.exit_code == 0 and again.stdout.startswith("nothing to remove: no optout schedule runs ")


def test_schedule_remove_stops_and_deletes_the_timer_of_that_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_crontab: Path
) -> None:
    program, log = fake_systemctl(tmp_path)
    monkeypatch.setattr(sched, "systemctl", lambda: program)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    units = tmp_path / "xdg" / "systemd" / "user"
    assert invoke("--home", str(tmp_path / "home"), "schedule", "--install", "--via", "systemd").exit_code == 0
    other = invoke("--home", str(tmp_path / "other"), "schedule", "--remove")  # another home's schedule is not this one
    assert other.stdout.startswith("nothing to remove") and (units / "optout.timer").exists()
    res = invoke("--home", str(tmp_path / "home"), "schedule", "--remove")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("stopped and removed optout.timer and optout.service")
    assert not (units / "optout.timer").exists() and not (units / "optout.service").exists()
    assert log.read_text().splitlines()[-2:] == ["--user disable --now optout.timer", "--user daemon-reload"]


def test_schedule_remove_unloads_the_launch_agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setattr(sched, "is_macos", lambda: True)
    monkeypatch.setattr(sched, "LAUNCHCTL", str(fake_launchctl(tmp_path)))
    monkeypatch.setattr(sched, "CRONTAB", "/nonexistent/crontab")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert invoke("--home", str(tmp_path / "home"), "schedule", "--install").exit_code == 0
    res = invoke("--home", str(tmp_path / "home"), "schedule", "--remove", "--via", "launchd")
    assert res.exit_code == 0, res.stderr
    assert not (tmp_path / "user" / "Library" / "LaunchAgents" / "org.optout.unattended.schedule.plist").exists()
    assert (tmp_path / "launchctl.log").read_text().splitlines()[
        -1
    ] == f"bootout gui/{os.getuid()}/org.optout.unattended.schedule"


def test_install_and_remove_together_is_a_usage_error(tmp_path: Path) -> None:
    assert invoke("--home", str(tmp_path), "schedule", "--install", "--remove").exit_code == 2
