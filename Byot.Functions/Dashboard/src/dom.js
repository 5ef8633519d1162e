// Builds elements from data with textContent only: nothing a test (or its log) prints is ever parsed as HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  requestAnimationFrame(() => { region.textContent = text; });
}

export function percent(v) {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(v >= 0.9995 || v === 0 ? 0 : 1)} %`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
export function ago(iso) {
  if (!iso) return '—';
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(Math.round(seconds), 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

// One formatter for every timestamp: toLocaleString() builds a new one per call, which 1,000 rows feel.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export const formatDate = (iso) => dateTime.format(new Date(iso));

export function time(iso) {
  if (!iso) return '—';
  return h('time', { datetime: iso, title: formatDate(iso) }, ago(iso));
}

/** A status word with its colour and a symbol, so no state is told by colour alone. */
export function badge(status) {
  const symbol = { passed: '✓', passing: '✓', failed: '✗', failing: '✗', timed_out: '⏱', oom: '✗', infra_error: '!', unknown: '?', running: '▶', queued: '…', disabled: '⏸', never_run: '○', cancelled: '–', skipped: '–' }[status] ?? '';
  return h('span', { class: `badge s-${status}` }, `${symbol} ${status.replace('_', ' ')}`);
}

/** Asks before acting, in a modal dialog (keyboard: Tab between buttons, Esc cancels). */
export function confirmAction(title, text, ok) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = ok;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}
