// Ember's ids count up from a number that differs on every load (here: the load's time, in 10 ms
// steps), so that no two loads draw the same id.
let ember = 200 + Math.floor(Date.now() / 10) % 1000000;
const root = document.getElementById('settings-root');

function toggleMarkup(id, label, on, labelId) {
  const toggled = on ? ' artdeco-toggle--toggled' : '';
  const named = labelId ? ` id="${esc(labelId)}"` : '';
  const labelledBy = labelId ? ` aria-labelledby="${esc(labelId)}"` : '';
  return `<div class="artdeco-toggle artdeco-toggle--24dp artdeco-toggle--default ember-view${toggled}">`
    + '<span aria-hidden="true" class="artdeco-toggle__text" data-artdeco-toggle-text="true">'
    + `${on ? 'On' : 'Off'}</span>`
    + `<label for="${id}" class="artdeco-toggle__label" data-artdeco-toggle-label="true">`
    + `<span class="label a11y-text"${named} data-artdeco-toggle-label-hidden="true">${esc(label)}</span></label>`
    + `<input role="switch"${labelledBy} aria-checked="${on}" type="checkbox"${on ? ' checked' : ''} `
    + `class="input artdeco-toggle__button" data-artdeco-toggle-button="true" id="${id}"></div>`;
}

function renderSetting(s, on) {
  ember += 1 + Math.floor(Math.random() * 40);
  const id = 'adToggle_ember' + ember;
  const wrap = document.createElement('div');
  wrap.className = 'setting';
  wrap.dataset.setting = s.key;
  wrap.innerHTML = (s.heading ? `<h2 class="setting__heading">${esc(s.heading)}</h2>` : '')
    + `<p class="setting__question">${esc(s.question)}</p>`
    + `<p class="setting__help">${esc(s.help)} <a href="#" class="learn-more">Learn more</a></p>`
    + `<div class="setting__control">${toggleMarkup(id, s.label, on, s.labelId)}</div>`
    + `<p class="setting__status" role="status" aria-live="polite"></p>`;
  const input = wrap.querySelector('input');
  const text = wrap.querySelector('.artdeco-toggle__text');
  const box = wrap.querySelector('.artdeco-toggle');
  const status = wrap.querySelector('.setting__status');
  let confirmed = on;
  let seq = 0;
  input.addEventListener('change', async () => {
    const wanted = input.checked;
    const mine = ++seq;
    status.textContent = '';
    status.classList.remove('error');
    try {
      const r = await fetch(cfg.api, {
        method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'csrf-token': cookie('JSESSIONID')},
        body: JSON.stringify({key: s.key, value: wanted}),
      });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      confirmed = !!(await r.json()).value;
      if (mine !== seq) return;
      input.setAttribute('aria-checked', String(confirmed));
      text.textContent = confirmed ? 'On' : 'Off';
      box.classList.toggle('artdeco-toggle--toggled', confirmed);
      status.textContent = 'Your preference has been updated.';
    } catch (e) {
      if (mine !== seq) return;
      input.checked = confirmed;
      status.classList.add('error');
      status.textContent = "Something went wrong and your preference wasn't updated. Please try again.";
    }
  });
  return wrap;
}

// click_thief: a transparent label of the last setting's switch, inside the first switch's label
// or over the whole first switch; a click on it switches the other setting, and only that one.
function layThief() {
  const [first, other] = [root.firstElementChild, root.lastElementChild];
  const thief = document.createElement('label');
  thief.htmlFor = other.querySelector('input').id;
  thief.className = 'click-thief';
  thief.addEventListener('click', (ev) => ev.stopPropagation());
  first.querySelector(cfg.thief === 'label' ? '.artdeco-toggle__label' : '.artdeco-toggle').appendChild(thief);
}

(async () => {
  let data;
  try {
    const r = await fetch(cfg.api, {credentials: 'same-origin', headers: {accept: 'application/json'}});
    if (r.status === 401) { location.assign(cfg.authwall); return; }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    data = (await r.json()).settings;
  } catch (e) {
    root.removeAttribute('aria-busy');  // an error is shown: the page is no longer loading
    root.innerHTML = '<p class="error">This page could not be loaded. Please refresh.</p>';
    return;
  }
  await sleep(cfg.renderDelayMs);
  root.textContent = '';
  for (const s of cfg.settings) root.appendChild(renderSetting(s, !!data[s.key]));
  if (cfg.thief) layThief();
  root.removeAttribute('aria-busy');
})();
