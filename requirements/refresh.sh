#!/usr/bin/env bash
# Refreshes requirements/test.lock to the newest versions pyproject.toml allows. The lock holds the
# exact versions the README's test command (and so CI) installs, so that a fresh clone tests what
# its developers tested; the user's install (pip install ., pipx) stays unpinned within the ranges.
# After a refresh: run the README's test command, fix what the new versions break, commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/uv ] || { [ -x .venv/bin/pip ] || python3 -m venv .venv; .venv/bin/pip install -q uv; }
.venv/bin/uv pip compile pyproject.toml --extra test --extra lint --extra browsers --universal --upgrade --quiet \
  --custom-compile-command "bash requirements/refresh.sh" -o requirements/test.lock
