const root = document.getElementById('form-root');

function render() {
  const options = ['<option value="">Select a country</option>']
    .concat(cfg.countries.map(([code, name]) => `<option value="${esc(code)}">${esc(name)}</option>`)).join('');
  root.innerHTML = (cfg.previous ? `<p class="notice">You sent an objection on ${esc(cfg.previous)}.</p>` : '')
    + `<form id="objection-form" novalidate>
      <div class="field"><label for="country">${esc(cfg.labels.country)}</label>
        <select id="country" name="country">${options}</select><p class="error" id="country-error"></p></div>
      <div class="field"><label for="email">${esc(cfg.labels.email)}</label>
        <input id="email" name="email" type="email" autocomplete="email" value="${esc(cfg.email)}">
        <p class="error" id="email-error"></p></div>
      <div class="field"><label for="reason">${esc(cfg.labels.reason)}</label>
        <textarea id="reason" name="reason"></textarea></div>
      <p class="error" id="form-error" role="alert"></p>
      <button class="btn" type="submit">Send</button></form>`;
  const form = document.getElementById('objection-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const country = form.elements.country.value;
    const email = form.elements.email.value.trim();
    document.getElementById('country-error').textContent = country ? '' : 'Please select your country of residence.';
    const emailOk = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email);
    document.getElementById('email-error').textContent = emailOk ? '' : 'Please enter a valid email address.';
    if (!country || !emailOk) return;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const res = await fetch(cfg.api, {
        method: 'POST', credentials: 'same-origin', headers: {'content-type': 'application/json'},
        body: JSON.stringify({fb_dtsg: cfg.dtsg, support_form_id: cfg.formId, country, email,
                              reason: form.elements.reason.value}),
      });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      root.innerHTML = `<div role="status"><h2>Thanks for contacting us</h2><p>${esc(cfg.confirmation)} `
        + `We'll review it and send our response to ${esc(email)}.</p></div>`;
    } catch (e) {
      button.disabled = false;
      document.getElementById('form-error').textContent = 'Something went wrong. Please try again.';
    }
  });
}

(async () => {
  await sleep(cfg.renderDelayMs);
  render();
  root.removeAttribute('aria-busy');
  if (cfg.autoSubmitMs !== null) {
    setTimeout(() => root.querySelector('button[type=submit]').click(), cfg.autoSubmitMs);
  }
})();
