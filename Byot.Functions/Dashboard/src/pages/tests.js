import { ApiError, get } from '../api.js';
import { badge, duration, h, percent, time } from '../dom.js';

const STATES = ['passing', 'failing', 'unknown', 'never_run', 'disabled'];
const SEVERITIES = ['P0', 'P1', 'P2', 'P3'];
const FIRST_ROWS = 60; // more than a tall screen holds
const STATE_ORDER = { failing: 0, unknown: 1, passing: 2, never_run: 3, disabled: 4 };

/** Every test: filters (state, severity, name) kept in the URL, last run, uptime 24 h / 7 d and a bar of recent
 * runs. Uptime and the bar come from GET /status/board (the status page's data, one query for all tests, behind the
 * function key); without it the table shows the rest and says so. Extension point: a tag filter joins here once
 * tests carry tags. */
export async function testsPage(params, signal) {
  const [tests, board] = await Promise.all([
    get('/tests', { signal }),
    get('/status/board', { signal }).catch((e) => {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }),
  ]);
  const flows = new Map((board?.flows ?? []).map((f) => [f.id, f]));
  const collator = new Intl.Collator(undefined, { numeric: true }); // one collator: localeCompare builds one per call
  tests.sort((a, b) => (STATE_ORDER[a.state] - STATE_ORDER[b.state]) || (a.test.severity < b.test.severity ? -1 : a.test.severity > b.test.severity ? 1 : 0) || collator.compare(a.test.name, b.test.name));

  const filter = { state: params.get('state') ?? '', severity: params.get('severity') ?? '', q: params.get('q') ?? '' };
  const body = h('tbody');
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });

  performance.mark('byot:tests-data');
  // Rows are built when first shown, and a long list is put in in two steps: the first screenful now, the rest
  // after that has been painted, so 1,000 tests show at once and complete a moment later.
  const rows = tests.map((t) => ({ t, el: null, name: t.test.name.toLowerCase() }));
  const element = (r) => (r.el ??= row(r.t, flows.get(r.t.test.id)));
  let generation = 0;
  const apply = () => {
    const mine = ++generation;
    const q = filter.q.trim().toLowerCase();
    const matching = rows.filter((r) => !((filter.state && r.t.state !== filter.state) || (filter.severity && r.t.test.severity !== filter.severity) || (q && !r.name.includes(q))));
    const first = document.createDocumentFragment();
    for (const r of matching.slice(0, FIRST_ROWS)) first.append(element(r));
    body.replaceChildren(first);
    const rest = () => {
      if (mine !== generation) return;
      const fragment = document.createDocumentFragment();
      for (const r of matching.slice(FIRST_ROWS)) fragment.append(element(r));
      body.append(fragment);
      performance.mark('byot:tests-complete');
    };
    if (matching.length > FIRST_ROWS) requestAnimationFrame(() => setTimeout(rest, 0));
    else performance.mark('byot:tests-complete');
    const failing = tests.filter((t) => t.state === 'failing').length;
    summary.textContent = `${matching.length} of ${tests.length} tests shown · ${failing} failing`;
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v)).toString();
    history.replaceState(null, '', query ? `#/?${query}` : '#/');
  };

  const select = (id, label, name, values) => h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, onchange: (e) => { filter[name] = e.target.value; apply(); } },
      h('option', { value: '' }, 'Any'),
      values.map((v) => h('option', { value: v, selected: filter[name] === v }, v.replace('_', ' ')))));

  const page = h('section', { class: 'tests' },
    h('h1', { text: 'Tests' }),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      select('f-state', 'State', 'state', STATES),
      select('f-severity', 'Severity', 'severity', SEVERITIES),
      h('div', { class: 'field grow' },
        h('label', { for: 'f-q' }, 'Name'),
        h('input', { id: 'f-q', type: 'search', value: filter.q, placeholder: 'Search by name', oninput: (e) => { filter.q = e.target.value; apply(); } }))),
    summary,
    board ? null : h('p', { class: 'note' }, 'Uptime and recent runs come from the status page, which is private here (Byot:Status:Public=false).'),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'list' },
        h('caption', { class: 'visually-hidden', text: 'Tests, failing first' }),
        h('thead', {}, h('tr', {},
          ['Test', 'State', 'Severity', 'Last run', 'Duration', 'Uptime 24 h', 'Uptime 7 d', 'Recent runs'].map((c) => h('th', { scope: 'col', text: c })))),
        body)));
  apply();
  return page;
}

function row(t, flow) {
  const last = t.lastRun;
  return h('tr', { 'data-state': t.state, 'data-test-id': t.test.id },
    h('th', { scope: 'row' }, h('a', { href: `#/tests/${t.test.id}`, text: t.test.name }), flow?.flaky ? h('span', { class: 'tag', title: 'Flips between pass and fail', text: 'flaky' }) : null),
    h('td', {}, badge(t.state)),
    h('td', {}, h('span', { class: `sev sev-${t.test.severity}`, text: t.test.severity })),
    h('td', {}, last ? h('a', { href: `#/runs/${last.id}`, 'aria-label': `Last run: ${last.status}` }, badge(last.status), ' ', time(last.finishedAt ?? last.queuedAt)) : '—'),
    h('td', { class: 'num', text: duration(last?.durationMs) }),
    h('td', { class: 'num', text: percent(flow?.uptime24h) }),
    h('td', { class: 'num', text: percent(flow?.uptime7d) }),
    h('td', {}, flow ? bar(flow.recent) : '—'));
}

/** The last runs, oldest on the left: one coloured cell each; the label says it in words. */
export function bar(recent) {
  const passed = recent.filter((s) => s === 'passed').length;
  // One element per stretch of equal results, not per run: 1,000 rows of 30 runs stay a few thousand elements.
  const cells = [];
  const ordered = [...recent].reverse();
  for (let i = 0; i < ordered.length;) {
    let j = i;
    while (j < ordered.length && ordered[j] === ordered[i]) j++;
    const cell = h('i', { class: `r-${ordered[i]}` });
    cell.style.width = `${(j - i) * 6 - 1}px`;
    cells.push(cell);
    i = j;
  }
  return h('span', { class: 'bar', role: 'img', 'aria-label': recent.length ? `Last ${recent.length} runs: ${passed} passed, ${recent.length - passed} not` : 'No runs yet' }, cells);
}
