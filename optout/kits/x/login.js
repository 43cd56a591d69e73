const root = document.getElementById('react-root');
root.innerHTML = `<main class="flow"><div class="modal" role="dialog" aria-labelledby="modal-header">
  <div class="logo" aria-hidden="true">X</div>
  <h1 id="modal-header">Sign in to X</h1>
  <form id="login-form" novalidate>
    <label class="field"><span>Phone, email, or username</span>
      <input autocomplete="username" autocapitalize="sentences" name="text" type="text" dir="auto"></label>
    <label class="field"><span>Password</span>
      <input autocomplete="current-password" name="password" type="password" dir="auto"></label>
    <p class="error" role="alert"></p>
    <button type="submit" class="btn">Log in</button>
  </form></div></main>`;
const form = document.getElementById('login-form');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const error = form.querySelector('.error');
  error.textContent = '';
  const res = await fetch(cfg.api, {
    method: 'POST', credentials: 'same-origin', headers: {'content-type': 'application/json'},
    body: JSON.stringify({flow_name: 'login', subtask_inputs: [
      {subtask_id: 'LoginEnterUserIdentifierSSO', enter_text: {text: form.elements.text.value}},
      {subtask_id: 'LoginEnterPassword', enter_password: {password: form.elements.password.value}}]}),
  });
  if (res.ok) {
    const next = cfg.redirect;
    location.assign(next && next.startsWith('/') && !next.startsWith('//') ? next : '/home');
  } else {
    let message = 'Something went wrong. Try again.';
    try { message = (await res.json()).errors[0].message; } catch (e) {}
    error.textContent = message;
  }
});
