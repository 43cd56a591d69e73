// The toggle-widget and names variations (ReplicaOptions.toggle_widget, .names), on every kit's pages, whatever
// script drew them: each toggle the page draws is shown as another widget of the toggle family,
// and labels and menu items carry the extra words real sites add. The page's own toggle stays in
// the page, hidden (out of the accessibility tree), and does the work: its stand-in forwards each
// click to it and mirrors its state, so saves, optimistic flips and reverts are the page's own.
(() => {
  const v = JSON.parse(document.getElementById('replica-variation').textContent);
  const TOGGLES = 'input[type=checkbox], [role=switch]';
  const CHOICES = 'select, [role=radiogroup], button[aria-haspopup][aria-labelledby]';
  const ITEMS = '[role=menuitem], [role=menuitemradio], [role=option]';
  const seen = new WeakSet();
  let uid = 0;
  const byId = (el, id) => (el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : null)
    || document.getElementById(id);
  // The element that labels a control: aria-labelledby's first element, its <label>, or none.
  const labelOf = (el) => {
    const first = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)[0];
    return (first && byId(el, first)) || (el.labels && el.labels[0]) || el.closest('label');
  };
  const nameOf = (el) => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const text = el.getAttribute('aria-label') || ids.map((id) => (byId(el, id) || {}).textContent || '').join(' ')
      || (labelOf(el) || el).textContent;
    return text.replace(/\s+/g, ' ').trim();
  };
  const isOn = (el) => (el instanceof HTMLInputElement ? el.checked : el.getAttribute('aria-checked') === 'true');
  const isDisabled = (el) => el.disabled === true || el.getAttribute('aria-disabled') === 'true';
  const span = (cls, text) => {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  };

  // names: another letter case, a "New" badge or a description inside the label.
  const reword = (label) => {
    if (!label || seen.has(label)) return;
    seen.add(label);
    if (v.names === 'case') {
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.textContent.trim()) { n.textContent = n.textContent.toUpperCase(); break; }
      }
    } else if (v.names === 'badge') {
      label.append(' ', span('wv-badge', 'New'));
    } else if (v.names === 'description') {
      label.append(' ', span('wv-description', 'Changes apply to every device you use.'));
    }
  };

  // widget: the stand-in for `el`, and the function that draws the state it mirrors.
  const standIn = (el) => {
    const name = nameOf(el);
    const row = document.createElement('div');
    row.className = 'kit-row wv-row';
    let control;
    let draw;
    if (v.widget === 'switch-input' || v.widget === 'shadow') {
      const label = document.createElement('label');
      label.className = 'kit-check';
      control = document.createElement('input');
      control.type = 'checkbox';
      control.setAttribute('role', 'switch');
      label.append(control, ' ', span('kit-row__label', name));
      draw = (on, off) => { control.checked = on; control.disabled = off; };
      if (v.widget === 'shadow') {
        const host = document.createElement('span');
        host.className = 'wv-host';
        host.attachShadow({mode: 'open'}).append(label);
        row.append(host);
      } else {
        row.append(label);
      }
    } else if (v.widget === 'pressed') {
      control = document.createElement('button');
      control.type = 'button';
      control.className = 'wv-pressed';
      control.textContent = name;
      draw = (on, off) => { control.setAttribute('aria-pressed', String(on)); control.disabled = off; };
      row.append(control);
    } else {  // switch-button (its name its own text), labelledby (named by a separate element)
      control = document.createElement('button');
      control.type = 'button';
      control.setAttribute('role', 'switch');
      control.className = 'kit-switch';
      if (v.widget === 'labelledby') {
        const id = `wv-label-${++uid}`;
        const label = document.createElement('p');
        label.id = id;
        label.className = 'wv-separate';
        label.textContent = name;
        control.setAttribute('aria-labelledby', id);
        row.append(label, document.createElement('hr'));
      } else {
        control.append(span('kit-row__label', name));
      }
      control.append(span('kit-switch__knob', ''));
      draw = (on, off) => { control.setAttribute('aria-checked', String(on)); control.disabled = off; };
      row.append(control);
    }
    for (const attr of el.getAttributeNames()) {  // the stable attributes a recipe may find it by
      if (attr === 'name' || attr.startsWith('data-')) control.setAttribute(attr, el.getAttribute(attr));
    }
    control.addEventListener('click', (ev) => {
      ev.preventDefault();  // the page's own control decides; the stand-in shows what it decided
      el.click();
    });
    return [row, draw];
  };

  const replace = (el) => {
    if (seen.has(el) || el.closest('.wv-row')) return;
    seen.add(el);
    const unit = el.closest('label') || el;
    const [row, draw] = standIn(el);
    unit.before(row);
    unit.style.setProperty('display', 'none', 'important');
    const label = labelOf(el);
    if (label && label !== unit) label.style.setProperty('display', 'none', 'important');
    let shown = null;
    const sync = () => {
      const now = `${isOn(el)}/${isDisabled(el)}`;
      if (now !== shown) { shown = now; draw(isOn(el), isDisabled(el)); }
    };
    sync();
    setInterval(sync, 100);  // a change of `checked` fires no event: look, and draw only a change
  };

  const visit = () => {
    if (v.names && v.names !== 'hint') {
      for (const el of document.querySelectorAll(`${TOGGLES}, ${CHOICES}`)) {
        if (!el.closest('.wv-row')) reword(labelOf(el));
      }
    }
    if (v.names === 'hint') {  // a hint inside each menu item: "Turn off" + "1 step"
      for (const item of document.querySelectorAll(ITEMS)) {
        if (!seen.has(item) && item.tagName !== 'OPTION') { seen.add(item); item.append(' ', span('wv-hint', '1 step')); }
      }
    }
    if (v.widget) for (const el of document.querySelectorAll(TOGGLES)) replace(el);
  };
  new MutationObserver(visit).observe(document, {subtree: true, childList: true});
  visit();
})();
