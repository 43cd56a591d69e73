// The interruptions variation (interruptions.py): added to every HTML page, whichever kit drew it.
// `kitInterruption` names the one to play. A control's click is caught before the page's own
// handlers see it, so the kit's script needs no part in it.
(() => {
  const kind = kitInterruption;
  const CONTROLS = '[role=switch],[role=checkbox],[role=radio],[role=menuitem],[role=menuitemradio],'
    + '[role=option],input[type=checkbox],input[type=radio]';
  const WHY = 'Turning this off means your data will no longer be used to improve our models.';
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  // A modal over the whole page: a backdrop that takes every click, and the dialog on it.
  const modal = (label, inner, role) => {
    const backdrop = document.createElement('div');
    backdrop.className = 'kit-interruption';
    backdrop.style.cssText = 'position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.45);'
      + 'display:flex;align-items:flex-end;justify-content:center';
    backdrop.innerHTML = `<div role="${role || 'dialog'}" aria-modal="true" aria-label="${esc(label)}" `
      + 'style="background:#fff;padding:20px;margin:24px;max-width:640px;border-radius:8px">' + inner + '</div>';
    document.body.appendChild(backdrop);
    return backdrop;
  };

  if (kind.startsWith('consent') && !document.cookie.includes('kit_consent=')) {
    const refuse = {consent: 'Reject all', 'consent-necessary': 'Use necessary cookies only'}[kind];
    const banner = modal('Cookie consent', '<h2>We value your privacy</h2><p>We and our partners use cookies '
      + 'to personalise content and ads and to measure how the site is used.</p>'
      + '<button type="button" data-choice="accepted">Accept all</button>'
      + (refuse ? ` <button type="button" data-choice="rejected">${esc(refuse)}</button>` : ''));
    banner.addEventListener('click', (ev) => {
      const choice = ev.target.dataset && ev.target.dataset.choice;
      if (!choice) return;
      document.cookie = `kit_consent=${choice}; path=/`;
      fetch('/api/consent', {method: 'POST', credentials: 'same-origin', body: JSON.stringify({choice})});
      banner.remove();
    });
  }
  if (kind === 'beforeunload') {
    addEventListener('beforeunload', (ev) => { ev.preventDefault(); ev.returnValue = ''; });
  }

  // What a control's click meets first: true lets the click through, false stops it; a promise
  // stops it and, once it resolves true, clicks the control again.
  const ASK = {
    alert: () => { alert('Your choice will be saved. It can take a few minutes to apply everywhere.'); return true; },
    'js-confirm': () => confirm(`Turn off? ${WHY}`),
    popup: () => { window.open('/?whats-new=1', 'kit-whats-new', 'popup,width=420,height=320'); return true; },
    confirm: () => new Promise((resolve) => {
      const dialog = modal('Turn off?', `<h2>Turn off?</h2><p>${esc(WHY)}</p>`
        + '<button type="button" data-act="keep">Keep</button> <button type="button" data-act="ok">Turn off</button>',
      'alertdialog');
      dialog.addEventListener('click', (ev) => {
        const act = ev.target.dataset && ev.target.dataset.act;
        if (act) { dialog.remove(); resolve(act === 'ok'); }
      });
    }),
    reauth: () => new Promise((resolve) => {
      const dialog = modal("Confirm it's you", "<h2>Confirm it's you</h2><p>Re-enter your password to continue.</p>"
        + '<label>Password <input type="password" autocomplete="current-password"></label> '
        + '<button type="button" data-act="cancel">Cancel</button> <button type="button" data-act="ok">Continue</button>');
      dialog.addEventListener('click', (ev) => {
        const act = ev.target.dataset && ev.target.dataset.act;
        if (act === 'cancel') { dialog.remove(); resolve(false); }
        // No password is ever right here: the replica's session has to be signed in again.
        if (act === 'ok') dialog.querySelector('p').textContent = 'Wrong password. Try again.';
      });
    }),
  };
  const ask = ASK[kind];
  if (!ask) return;
  let passing = false;
  document.addEventListener('click', (ev) => {
    const control = !passing && ev.target.closest ? ev.target.closest(CONTROLS) : null;
    if (!control || control.closest('.kit-interruption')) return;
    const answer = ask();
    if (answer === true) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    if (answer instanceof Promise) {
      answer.then((go) => { if (go) { passing = true; control.click(); passing = false; } });
    }
  }, true);
})();
