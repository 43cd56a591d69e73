// Variations every kit's pages get, whatever the kit's own markup and script (ReplicaOptions:
// placeholder, enable_after, late_duplicate): a real site's loading states and late renders do not
// depend on how its replica draws its controls. Works on the page's DOM only: `#settings-root`,
// which every kit page draws into, and the controls drawn there or in a dialog.
(() => {
  const v = JSON.parse(document.getElementById('replica-variations').textContent);
  const root = document.getElementById('settings-root');
  if (!root) return;
  const PLACEHOLDERS = {
    progressbar: '<div role="progressbar" aria-label="Settings" class="kit-progress"></div>',
    skeleton: '<div class="kit-skeleton"></div><div class="kit-skeleton"></div>',
    text: '<p class="loading">Loading\u2026</p>',
  };
  if (v.placeholder !== 'busy' && root.getAttribute('aria-busy') === 'true') {
    root.removeAttribute('aria-busy');
    root.innerHTML = PLACEHOLDERS[v.placeholder];
  }
  const CONTROLS = '[role=switch], input[type=checkbox], input[type=radio], select, button[aria-haspopup]';
  const SCOPES = '#settings-root, [role=dialog]';
  const first = () => [...document.querySelectorAll(CONTROLS)].find((el) => el.closest(SCOPES));
  // Calls `then` with the first control once the kit has drawn one, and again in each dialog it opens.
  const onDrawn = (then) => {
    const seen = new Set();
    const look = () => {
      const el = first();
      const scope = el && el.closest(SCOPES);
      if (scope && !seen.has(scope)) { seen.add(scope); then(el, scope); }
    };
    new MutationObserver(look).observe(document.body, {childList: true, subtree: true});
    look();
  };
  if (typeof v.lateDuplicateMs === 'number') {  // every control's block again, a moment later
    onDrawn((el, scope) => setTimeout(() => {
      const blocks = new Set([...scope.querySelectorAll(CONTROLS)].map(
        (c) => c.closest('section, fieldset, li, [role=group]') || c.parentElement));
      for (const block of blocks) if (block.isConnected) block.after(block.cloneNode(true));
    }, v.lateDuplicateMs));
  }
  if (v.enableAfter) {  // disabled until another request of the page (its permissions) is answered
    onDrawn(async (el, scope) => {
      const controls = [...scope.querySelectorAll('button, input, select')].filter((c) => !c.disabled);
      for (const c of controls) c.disabled = true;
      await fetch('/__replica/ready', {credentials: 'same-origin'});
      for (const c of controls) c.disabled = false;
    });
  }
})();
