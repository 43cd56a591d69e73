const root = document.getElementById('settings-root');
const toast = document.getElementById('toast');
function say(text) {
  toast.textContent = text; toast.classList.add('show');
  clearTimeout(say.timer); say.timer = setTimeout(() => toast.classList.remove('show'), 4000);
}
function headers() {
  return {'content-type': 'application/json', 'x-csrf-token': cookie('ct0'),
          'x-twitter-auth-type': 'OAuth2Session', 'x-twitter-active-user': 'yes'};
}

function row(r, on) {
  const label = document.createElement('label');
  label.className = 'toggle-row';
  label.innerHTML = `<div class="toggle-row__text">${esc(r.label)}</div>`
    + '<div class="checkbox-visual" aria-hidden="true"><svg viewBox="0 0 24 24"><path d="M9.64 18.952l-5.55-4.861 '
    + '1.317-1.504 3.951 3.459 8.554-11.02 1.58 1.229z"></path></svg></div>'
    + `<input type="checkbox" name="${esc(r.name)}" class="checkbox-input">`;
  const input = label.querySelector('input');
  input.checked = on;
  input.disabled = cfg.minor;
  let confirmed = on;
  let seq = 0;
  input.addEventListener('change', async () => {
    const wanted = input.checked;
    const mine = ++seq;
    const body = r.variable ? {variables: {[r.variable]: wanted}, queryId: cfg.queryId} : {[r.field]: wanted};
    try {
      const res = await fetch(r.endpoint, {method: 'POST', credentials: 'same-origin', headers: headers(),
                                          body: JSON.stringify(body)});
      if (!res.ok) throw new Error('HTTP ' + res.status);
      confirmed = wanted;
    } catch (e) {
      if (mine !== seq) return;
      input.checked = confirmed;
      say('Something went wrong, but don\u2019t fret \u2014 let\u2019s give it another shot.');
    }
  });
  return label;
}

function section(title, desc, rows, prefs) {
  const s = document.createElement('section');
  s.innerHTML = `<h3>${esc(title)}</h3>` + (desc ? `<p class="desc">${esc(desc)}</p>` : '');
  for (const r of rows) s.appendChild(row(r, !!prefs[r.field]));
  return s;
}

function deleteHistory() {
  const modal = document.createElement('div');
  modal.className = 'modal-backdrop';
  modal.innerHTML = '<div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="del-title">'
    + '<h2 id="del-title">Delete conversation history?</h2><p>This can\u2019t be undone.</p>'
    + '<button class="btn btn-danger" type="button" data-act="delete">Delete</button>'
    + '<button class="btn btn-outline" type="button" data-act="cancel">Cancel</button></div>';
  modal.addEventListener('click', async (ev) => {
    const act = ev.target.dataset && ev.target.dataset.act;
    if (!act) return;
    modal.remove();
    if (act !== 'delete') return;
    const res = await fetch(cfg.deleteApi, {method: 'POST', credentials: 'same-origin', headers: headers(),
                                            body: '{}'});
    say(res.ok ? 'Your Grok conversation history was deleted.' : 'Something went wrong. Try again.');
  });
  document.body.appendChild(modal);
}

// click_thief: over each Grok row, a transparent label of the last row's checkbox (the unrelated
// setting), inside the row's label or inside its checkbox; a click on it switches only that one.
function layThieves() {
  const rows = [...root.querySelectorAll('.toggle-row')];
  const other = rows.pop().querySelector('input');
  other.id = 'x-other-setting';
  for (const row of rows) {
    const thief = document.createElement('label');
    thief.htmlFor = other.id;
    thief.className = 'click-thief';
    thief.addEventListener('click', (ev) => ev.stopPropagation());
    (cfg.thief === 'label' ? row : row.querySelector('.checkbox-visual')).appendChild(thief);
  }
}

(async () => {
  let prefs;
  try {
    const res = await fetch(cfg.api, {credentials: 'same-origin'});
    if (res.status === 401) { location.assign(cfg.login); return; }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    prefs = (await res.json()).user_preferences;
  } catch (e) {
    root.removeAttribute('aria-busy');  // an error is shown: the page is no longer loading
    root.innerHTML = '<p class="error intro">Something went wrong. Try reloading.</p>';
    return;
  }
  await sleep(cfg.renderDelayMs);
  root.textContent = '';
  const intro = document.createElement('p');
  intro.className = 'intro';
  intro.textContent = 'Control how X shares your data with xAI and uses it to personalize Grok.';
  root.appendChild(intro);
  if (cfg.minor) {
    const note = document.createElement('p');
    note.className = 'notice';
    note.setAttribute('role', 'note');
    note.textContent = 'These settings aren\u2019t available for accounts of people under 18.';
    root.appendChild(note);
  }
  for (const s of cfg.sections) root.appendChild(section(s.title, s.desc, s.rows, prefs));
  const del = document.createElement('button');
  del.className = 'danger';
  del.type = 'button';
  del.textContent = 'Delete conversation history';
  del.addEventListener('click', deleteHistory);
  (root.querySelectorAll('section')[1] || root).appendChild(del);  // only_other_switch: one section
  if (cfg.thief) layThieves();
  root.removeAttribute('aria-busy');
})();
