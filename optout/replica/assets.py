"""Shared page furniture for the replica sites: the HTML skeleton, CSS, small JS helpers.

Everything is inline: the replica must render in a browser with no network at all, so no CDN,
no web fonts, no external scripts.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from importlib import resources
from typing import Any

BASE_CSS = """
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2226}
a{color:inherit}
button{font:inherit;cursor:pointer}
input,select,textarea{font:inherit}
.a11y-text{position:absolute!important;width:1px!important;height:1px!important;padding:0!important;
  margin:-1px!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;white-space:nowrap!important;
  border:0!important}
.loading{color:#666;padding:24px 0}
.loading::before{content:"";display:inline-block;width:14px;height:14px;margin-right:8px;vertical-align:-2px;
  border:2px solid #ccc;border-top-color:#666;border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
.error{color:#b24020}
"""


@cache
def kit_file(package: str | None, name: str) -> str:
    """A markup file (CSS, JS, HTML) shipped in a platform kit's folder, read once per process.

    Markup lives in files so it reads (and diffs) as what it is, not as strings inside Python."""
    if not package:
        raise ValueError("kit_file needs the kit's package (pass __package__)")
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def page(
    title: str, body: str, css: str = "", script: str = "", config: dict[str, Any] | None = None, lang: str = "en"
) -> str:
    """A complete HTML document in UI language `lang` (declared as sites declare theirs).
    `body` is trusted markup; `config` is handed to `script` as JSON."""
    data = json_script("replica-config", config) if config is not None else ""
    js = f"<script>{script}</script>" if script else ""
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{BASE_CSS}{css}</style></head>"
        f"<body>{body}{data}{js}</body></html>"
    )


def json_script(element_id: str, data: Any) -> str:
    """Data for a page's JS, safe against `</script>` inside strings."""
    text = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{escape(element_id)}">{text}</script>'


# Reads the config block, plus helpers every replica page script uses.
JS_PRELUDE = """
const cfg = JSON.parse(document.getElementById('replica-config').textContent);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ENTITIES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
function cookie(name) {
  const m = document.cookie.match(new RegExp('(?:^|;\\\\s*)' + name + '=([^;]*)'));
  return m ? decodeURIComponent(m[1]) : '';
}
"""


def auto_login_script(
    seconds: float | None, user: str, password: str, user_sel: str, pass_sel: str, submit_sel: str
) -> str:
    """JS that plays the user: fills the login form and submits it after `seconds`.

    Used to test the interactive (visible-browser) login without a human at the keyboard.
    Returns "" when auto-login is off. Call it after the form is in the DOM.
    """
    if seconds is None:
        return ""
    args = json.dumps([user, password, user_sel, pass_sel, submit_sel]).replace("<", "\\u003c")
    return f"""
setTimeout(() => {{
  const [user, password, userSel, passSel, submitSel] = {args};
  const set = (sel, value) => {{
    const el = document.querySelector(sel);
    if (!el) return;
    el.focus(); el.value = value;
    el.dispatchEvent(new Event('input', {{bubbles: true}}));
    el.dispatchEvent(new Event('change', {{bubbles: true}}));
  }};
  set(userSel, user); set(passSel, password);
  const button = document.querySelector(submitSel);
  if (button) button.click();
}}, {max(0.0, float(seconds)) * 1000:.0f});
"""
