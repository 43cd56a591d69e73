// Renders a kit's settings page from its config (see kit_site.py) the way single-page apps do:
// fetch the account's values, wait, draw the controls, save each change by fetch.
const root = document.getElementById('settings-root');
const toast = document.getElementById('kit-toast');
let uid = 100 + Math.floor(Math.random() * 900);
const nextId = (prefix) => `${prefix}-${++uid}`;
const say = (text) => { toast.textContent = text; };
const attrs = (map) => Object.entries(map || {}).map(([k, v]) => ` ${esc(k)}="${esc(v)}"`).join('');
let values = {};
const pending = {};  // with a Save button: changes not yet sent

const post = (changes) => fetch(cfg.api, {
  method: 'POST', credentials: 'same-origin',
  headers: {'content-type': 'application/json', 'x-csrf-token': cookie(cfg.csrfCookie)},
  body: JSON.stringify({changes}),
});

// cache_state: the values the page saved, kept client-side and drawn from on the next load.
function cacheDb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('kit-settings', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('kit-settings');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function cacheWrite(saved) {
  if (cfg.cache !== 'indexedDB') { window[cfg.cache].setItem('kit-settings', JSON.stringify(saved)); return; }
  const db = await cacheDb();
  await new Promise((resolve) => {
    const tx = db.transaction('kit-settings', 'readwrite');
    tx.objectStore('kit-settings').put(JSON.stringify(saved), 'kit-settings');
    tx.oncomplete = resolve;
  });
}

async function cacheRead() {
  if (cfg.cache !== 'indexedDB') return JSON.parse(window[cfg.cache].getItem('kit-settings') || '{}');
  const db = await cacheDb();
  return new Promise((resolve) => {
    const got = db.transaction('kit-settings').objectStore('kit-settings').get('kit-settings');
    got.onsuccess = () => resolve(JSON.parse(got.result || '{}'));
    got.onerror = () => resolve({});
  });
}

async function save(changes) {
  const res = await post(changes);
  if (!res.ok) throw new Error('HTTP ' + res.status);
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, values[k]]));
  // a background sync that writes its stale copy over the change, without a word on the page
  if (typeof cfg.undoSave === 'number') setTimeout(() => post(before), cfg.undoSave * 1000);
  Object.assign(values, changes);
  if (cfg.cache) await cacheWrite(values);
  say('Settings saved');
}

// A control changed: send it now, or keep it for the Save button. `undo` puts the control back.
async function changed(key, value, undo, redraw) {
  if (cfg.saveButton) { pending[key] = value; return; }
  try { await save({[key]: value}); if (redraw) redraw(value); }
  catch (e) { undo(); say('Something went wrong. Please try again.'); }
}

function switchButton(c, key, label) {
  const id = nextId('switch');
  const wrap = document.createElement('div');
  wrap.className = 'kit-row';
  wrap.innerHTML = `<span class="kit-row__label" id="${id}-label">${esc(label)}</span>`
    + `<button type="button" role="switch" class="kit-switch" aria-labelledby="${id}-label" `
    + `aria-checked="${!!values[key]}"${attrs(c.attrs)}><span class="kit-switch__knob"></span></button>`;
  const button = wrap.querySelector('button');
  const subs = cfg.subSwitches ? subSwitches(wrap, !!values[key]) : () => {};
  button.addEventListener('click', () => {
    const before = button.getAttribute('aria-checked') === 'true';
    button.setAttribute('aria-checked', String(!before));
    subs(!before);
    changed(key, !before, () => { button.setAttribute('aria-checked', String(before)); subs(before); });
  });
  return wrap;
}

// sub_switches: rows that only show while their switch is on (never saved here); returns the
// function that shows or hides them.
function subSwitches(wrap, on) {
  const rows = ['Include your audio recordings', 'Include your video recordings'].map((text) => {
    const id = nextId('sub');
    const row = document.createElement('div');
    row.className = 'kit-row kit-sub';
    row.innerHTML = `<span class="kit-row__label" id="${id}-label">${esc(text)}</span>`
      + `<button type="button" role="switch" class="kit-switch" aria-labelledby="${id}-label" aria-checked="false">`
      + '<span class="kit-switch__knob"></span></button>';
    wrap.appendChild(row);
    return row;
  });
  const show = (yes) => { for (const row of rows) row.hidden = !yes; };
  show(on);
  return show;
}

function checkbox(c, key, label, role) {
  const wrap = document.createElement('label');
  wrap.className = 'kit-row kit-check';
  const roleAttr = role ? ` role="${role}"` : '';
  wrap.innerHTML = `<input type="checkbox"${roleAttr}${attrs(c.attrs)}${values[key] ? ' checked' : ''}>`
    + `<span class="kit-row__label">${esc(label)}</span>`;
  const input = wrap.querySelector('input');
  input.addEventListener('change', () => {
    const wanted = input.checked;
    changed(key, wanted, () => { input.checked = !wanted; });
  });
  return wrap;
}

function select(c, key, label) {
  const id = nextId('select');
  const wrap = document.createElement('div');
  wrap.className = 'kit-row';
  const options = c.options.map((o) => `<option${o === values[key] ? ' selected' : ''}>${esc(o)}</option>`).join('');
  wrap.innerHTML = `<label class="kit-row__label" for="${id}">${esc(label)}</label>`
    + `<select id="${id}"${attrs(c.attrs)}>${options}</select>`;
  const el = wrap.querySelector('select');
  el.addEventListener('change', () => {
    const before = values[key];
    changed(key, el.value, () => { el.value = before; });
  });
  return wrap;
}

function radios(c, key, label) {
  const id = nextId('radios');
  const wrap = document.createElement('fieldset');
  wrap.className = 'kit-radios';
  wrap.setAttribute('role', 'radiogroup');
  wrap.setAttribute('aria-labelledby', id);
  wrap.innerHTML = `<legend id="${id}">${esc(label)}</legend>` + c.options.map((o) =>
    `<label class="kit-check"><input type="radio" name="${id}" value="${esc(o)}"${o === values[key] ? ' checked' : ''}>`
    + ` <span>${esc(o)}</span></label>`).join('');
  for (const input of wrap.querySelectorAll('input')) {
    input.addEventListener('change', () => {
      const before = values[key];
      changed(key, input.value, () => {
        for (const r of wrap.querySelectorAll('input')) r.checked = r.value === before;
      });
    });
  }
  return wrap;
}

// A popup list anchored under `anchor`; `items` are [text, role, checked, onPick]. One open at a time.
function popup(anchor, role, items) {
  document.querySelectorAll('.kit-popup').forEach((p) => p.remove());
  const list = document.createElement('div');
  list.className = 'kit-popup';
  list.setAttribute('role', role);
  for (const [text, itemRole, checked, onPick] of items) {
    const item = document.createElement('div');
    item.className = 'kit-popup__item';
    item.setAttribute('role', itemRole);
    item.tabIndex = -1;
    if (checked !== null) item.setAttribute('aria-checked', String(checked));
    item.textContent = text;
    item.addEventListener('click', () => { list.remove(); anchor.setAttribute('aria-expanded', 'false'); onPick(); });
    list.appendChild(item);
  }
  anchor.setAttribute('aria-expanded', 'true');
  anchor.insertAdjacentElement('afterend', list);
}

function dropdown(c, key, label) {
  const id = nextId('dropdown');
  const wrap = document.createElement('div');
  wrap.className = 'kit-row';
  wrap.innerHTML = `<span class="kit-row__label" id="${id}-label">${esc(label)}</span>`
    + `<button type="button" class="kit-dropdown" aria-haspopup="menu" aria-expanded="false" `
    + `aria-labelledby="${id}-label ${id}-value"${attrs(c.attrs)}><span id="${id}-value">${esc(values[key])}</span>`
    + '</button>';
  const button = wrap.querySelector('button');
  const shown = wrap.querySelector(`#${id}-value`);
  button.addEventListener('click', () => popup(button, 'menu', c.options.map((o) => [o, 'menuitemradio', o === values[key], () => {
    const before = shown.textContent;
    shown.textContent = o;
    changed(key, o, () => { shown.textContent = before; });
  }])));
  return wrap;
}

// An ARIA combobox showing the selected option, opening a listbox of options (Headless UI,
// Radix and MUI selects).
function combobox(c, key, label) {
  const id = nextId('combobox');
  const wrap = document.createElement('div');
  wrap.className = 'kit-row';
  wrap.innerHTML = `<span class="kit-row__label" id="${id}-label">${esc(label)}</span>`
    + `<div role="combobox" tabindex="0" class="kit-dropdown" aria-haspopup="listbox" aria-expanded="false" `
    + `aria-labelledby="${id}-label"${attrs(c.attrs)}>${esc(values[key])}</div>`;
  const box = wrap.querySelector('[role=combobox]');
  box.addEventListener('click', () => popup(box, 'listbox', c.options.map((o) => [o, 'option', null, () => {
    const before = box.textContent;
    box.textContent = o;
    changed(key, o, () => { box.textContent = before; });
  }])));
  return wrap;
}

function chip(c, key, label) {
  const wrap = document.createElement('div');
  wrap.className = 'kit-row';
  const state = (on) => (on ? 'On' : 'Off');
  const aria = (on) => `${on ? 'Turn off' : 'Turn on'} your ${label} setting`;
  wrap.innerHTML = `<span class="kit-row__label">${esc(label)}</span>`
    + `<button type="button" class="kit-chip" aria-haspopup="menu" aria-expanded="false"${attrs(c.attrs)}></button>`;
  const button = wrap.querySelector('button');
  const draw = (on) => { button.textContent = state(on); button.setAttribute('aria-label', aria(on)); };
  draw(!!values[key]);
  const apply = (on) => changed(key, on, () => draw(!on), draw);
  button.addEventListener('click', () => {
    const on = !!values[key];
    const items = on
      ? [[c.chip.turnOff, 'menuitem', null, () => confirmOff(c, () => apply(false))]]
        .concat(c.chip.extra.map((t) => [t, 'menuitem', null, () => say('Not available in this replica')]))
      : [[c.chip.turnOn, 'menuitem', null, () => apply(true)]];
    popup(button, 'menu', items);
  });
  return wrap;
}

function confirmOff(c, go) {
  if (!c.chip.confirm) { go(); return; }
  const dialog = document.createElement('div');
  dialog.className = 'kit-modal';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-label', c.chip.confirm);
  dialog.innerHTML = `<p>${esc(c.chip.confirmText)}</p><button type="button" data-act="cancel">Cancel</button>`
    + `<button type="button" data-act="ok">${esc(c.chip.confirm)}</button>`;
  dialog.addEventListener('click', (ev) => {
    const act = ev.target.dataset && ev.target.dataset.act;
    if (!act) return;
    dialog.remove();
    if (act === 'ok') go();
  });
  document.body.appendChild(dialog);
}

const KINDS = {
  'switch': switchButton,
  'switch-input': (c, key, label) => checkbox(c, key, label, 'switch'),
  'checkbox': (c, key, label) => checkbox(c, key, label, ''),
  'select': select,
  'dropdown': dropdown,
  'radio': radios,
  'chip': chip,
};

// The choice_widget variation: a choice drawn as another widget of its kind (toggles: widgets.js).
const CHOICE_KINDS = new Set(['select', 'dropdown', 'radio']);
const CHOICE_WIDGETS = {'select': select, 'combobox': combobox, 'menu': dropdown, 'radio': radios};
const drawer = (kind) => (CHOICE_KINDS.has(kind) && CHOICE_WIDGETS[cfg.widget]) || KINDS[kind];

function section(c, key, label) {
  const s = document.createElement('section');
  s.className = 'kit-section';
  s.innerHTML = (c.section ? `<h2>${esc(c.section)}</h2>` : '') + (c.help ? `<p class="kit-help">${esc(c.help)}</p>` : '');
  s.appendChild(drawer(c.kind)(c, key, label));
  return s;
}

// click_thief: a transparent label of the unrelated setting's switch, laid inside the section's
// control ("switch": the button, or the label or group an input sits in) or inside its label; a
// click on it switches only the unrelated setting.
function layThief(s) {
  const input = s.querySelector('input, select');
  const control = input ? (input.closest('fieldset') || input.closest('label') || input.parentElement)
    : s.querySelector('button');
  const label = s.querySelector('label, .kit-row__label, legend');
  const host = cfg.thief === 'label' ? label : control;
  const thief = document.createElement('label');
  thief.htmlFor = 'kit-other-setting';
  thief.className = 'kit-thief';
  thief.addEventListener('click', (ev) => ev.stopPropagation());
  host.classList.add('kit-thief-host');
  host.appendChild(thief);
}

function drawControls(into) {
  if (cfg.intro) {
    const p = document.createElement('p');
    p.className = 'kit-help';
    p.textContent = cfg.intro;
    into.appendChild(p);
  }
  if (cfg.absent) {
    const p = document.createElement('p');
    p.className = 'kit-notice';
    p.textContent = cfg.absentText;
    into.appendChild(p);
    return;
  }
  if (cfg.missing) return;
  for (const c of cfg.controls) {
    into.appendChild(section(c, c.key, c.label));
    if (cfg.duplicate) {  // a second control worded the same (say, for a connected product)
      const copy = {...c, section: 'Connected apps', help: 'Applies to the apps you connected.'};
      into.appendChild(section(copy, c.key + '#duplicate', c.label));
    }
  }
  if (cfg.extraAiSwitch) {  // a setting the platform added quietly, in no recipe (never saved here)
    if (!('extra-ai' in values)) values['extra-ai'] = true;
    into.appendChild(section({kind: 'switch', section: 'AI features', help: '', attrs: {}}, 'extra-ai',
      'Use my content to train our AI models'));
  }
  if (cfg.other) {  // an unrelated setting, off (click_thief, collateral_save)
    const other = section({kind: 'switch-input', section: 'Job seeking', help: '', attrs: {}}, cfg.other.key,
      cfg.other.label);
    other.querySelector('input').id = 'kit-other-setting';
    into.appendChild(other);
    if (cfg.thief) for (const s of into.querySelectorAll('.kit-section')) if (s !== other) layThief(s);
  }
  if (cfg.saveButton) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'kit-save';
    button.textContent = cfg.saveButton;
    button.addEventListener('click', async () => {
      const changes = {...pending};
      if (!Object.keys(changes).length) return;
      try { await save(changes); for (const k of Object.keys(changes)) delete pending[k]; }
      catch (e) { say('Your settings could not be saved.'); }
    });
    into.appendChild(button);
  }
}

function openDialog() {
  if (document.querySelector('.kit-dialog')) return;
  const dialog = document.createElement('div');
  dialog.className = 'kit-modal kit-dialog';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-label', cfg.dialog.title);
  dialog.innerHTML = `<h2>${esc(cfg.dialog.title)}</h2>`;
  drawControls(dialog);
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'kit-close';
  close.textContent = 'Close';
  close.addEventListener('click', closeDialog);
  dialog.appendChild(close);
  document.body.appendChild(dialog);
}

function closeDialog() {
  document.querySelectorAll('.kit-dialog').forEach((d) => d.remove());
}

// The row that opens the dialog. With a hash route (`#settings/DataControls`) the row sits in a
// settings panel that only that hash shows, as in apps whose settings are an overlay.
function drawOpener() {
  root.textContent = '';
  if (cfg.dialog.hash && location.hash !== cfg.dialog.hash) {
    root.innerHTML = '<p class="kit-help">What can I help with?</p>';
    return;
  }
  const on = cfg.controls.length && !!values[cfg.controls[0].key];
  const opener = document.createElement('button');
  opener.type = 'button';
  opener.className = 'kit-row kit-opener';
  opener.innerHTML = `<span>${esc(cfg.dialog.opener)}</span> <span class="kit-state">${on ? 'On' : 'Off'}</span>`;
  for (const [k, v] of Object.entries(cfg.dialog.attrs || {})) opener.setAttribute(k, v);
  opener.addEventListener('click', openDialog);
  root.appendChild(opener);
}

// A settings panel that is itself a dialog over the app, shown only while the URL has its hash
// (claude.ai/new#settings/data-privacy-controls); elsewhere the app's home.
function drawPanel() {
  root.textContent = '';
  if (location.hash !== cfg.panel.hash) {
    root.innerHTML = '<p class="kit-help">How can I help you today?</p>';
    return;
  }
  const panel = document.createElement('div');
  panel.className = 'kit-modal kit-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-modal', 'true');
  panel.setAttribute('aria-label', cfg.panel.title);
  for (const [k, v] of Object.entries(cfg.panel.attrs || {})) panel.setAttribute(k, v);
  panel.innerHTML = `<h2>${esc(cfg.panel.title)}</h2>`;
  drawControls(panel);
  root.appendChild(panel);
}

(async () => {
  try {
    const res = await fetch(cfg.api, {credentials: 'same-origin', headers: {accept: 'application/json'}});
    if (res.status === 401) { location.assign(cfg.login); return; }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    values = (await res.json()).settings;
    if (cfg.cache) Object.assign(values, await cacheRead());
  } catch (e) {
    root.removeAttribute('aria-busy');  // an error is shown: the page is no longer loading
    root.innerHTML = '<p class="error">Something went wrong. Reload the page.</p>';
    return;
  }
  await sleep(cfg.renderDelayMs);
  root.textContent = '';
  if (cfg.panel) {
    drawPanel();
    window.addEventListener('hashchange', drawPanel);
  } else if (!cfg.dialog) {
    drawControls(root);
  } else {
    drawOpener();
    document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeDialog(); });
    window.addEventListener('hashchange', drawOpener);
  }
  root.removeAttribute('aria-busy');
})();
