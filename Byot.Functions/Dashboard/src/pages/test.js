import { ApiError, get, patch, post } from '../api.js';
import { announce, badge, confirmAction, duration, formatDate, h, percent, time } from '../dom.js';
import { durationChart, uptimeChart } from '../charts.js';

const WINDOWS = { '24h': { ms: 86400e3, bucket: 3600e3, label: '24 h' }, '7d': { ms: 7 * 86400e3, bucket: 6 * 3600e3, label: '7 d' }, '30d': { ms: 30 * 86400e3, bucket: 86400e3, label: '30 d' } };
const JUDGED = new Set(['passed', 'failed', 'timed_out', 'oom']);
const MAX_CHART_PAGES = 25; // 25 × 200 runs: the charts show at most the newest 5,000 runs of a window

/** One test: settings, schedule with its next slots, charts, run history (paged), incidents, secrets, actions.
 * Extension point: the per-case table (flaky / quarantined markers) and maintenance buttons go here. */
export async function testPage(id, signal) {
  const [[test, schedule], stats, secrets, alerts] = await Promise.all([
    get(`/tests/${id}`, { signal }).then(async (t) => [t, t.schedule ? await get(`/tests/${id}/schedule?count=5`, { signal }).catch(() => null) : null]),
    get(`/tests/${id}/stats`, { signal }),
    get(`/tests/${id}/secrets`, { signal }),
    get(`/tests/${id}/alerts`, { signal }).catch(() => null),
  ]);

  const runNow = h('button', { type: 'button', class: 'primary', onclick: async () => {
    if (!await confirmAction('Run now?', `Start "${test.name}" now, outside its schedule.`, 'Run now')) return;
    try {
      const run = await post(`/run/${id}`);
      announce('Run queued');
      location.hash = `#/runs/${run.id}`;
    } catch (e) { actionError.textContent = e.message; }
  } }, 'Run now');
  const toggle = h('button', { type: 'button', onclick: async () => {
    const enable = !test.enabled;
    if (!await confirmAction(enable ? 'Enable this test?' : 'Pause this test?', enable ? `"${test.name}" runs on its schedule again.` : `"${test.name}" stops running on its schedule until you enable it. Run now still works.`, enable ? 'Enable' : 'Pause')) return;
    try {
      Object.assign(test, await patch(`/tests/${id}`, { enabled: enable }));
      announce(enable ? 'Test enabled' : 'Test paused');
      dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) { actionError.textContent = e.message; }
  } }, test.enabled ? 'Pause' : 'Enable');
  const actionError = h('p', { class: 'error', role: 'alert' });

  const charts = h('div', { class: 'charts' });
  const rangeButtons = Object.entries(WINDOWS).map(([name, w]) => h('button', { type: 'button', 'aria-pressed': name === '24h' ? 'true' : 'false', onclick: (e) => {
    for (const b of rangeButtons) b.setAttribute('aria-pressed', b === e.currentTarget ? 'true' : 'false');
    drawCharts(id, w, charts, signal);
  } }, w.label));

  const open = alerts?.openIncident;
  const page = h('section', { class: 'test' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Tests'), ' / '),
    h('div', { class: 'title' }, h('h1', { text: test.name }), h('span', { class: `sev sev-${test.severity}`, text: test.severity }), test.enabled ? null : badge('disabled')),
    h('div', { class: 'actions' }, runNow, toggle),
    actionError,
    open ? h('div', { class: 'incident', role: 'alert' },
      h('h2', { text: 'Open incident' }),
      h('p', {}, `Failing since `, time(open.failingSince), ` · opened `, time(open.openedAt), ` · ${open.failureCount} failures · ${open.notifications.length} notification(s) sent`)) : null,
    h('div', { class: 'grid' },
      h('section', {}, h('h2', { text: 'Uptime' }),
        h('dl', { class: 'kv' },
          ['24h', '7d', '30d'].flatMap((k) => [h('dt', { text: k.replace('h', ' h').replace('d', ' d') }), h('dd', { text: percent(stats.uptime[k]) })]),
          h('dt', { text: 'Duration p50 / p95' }), h('dd', { text: `${duration(stats.durationP50Ms)} / ${duration(stats.durationP95Ms)}` }),
          h('dt', { text: 'Pass/fail flips' }), h('dd', { text: String(stats.flips) }))),
      h('section', {}, h('h2', { text: 'Schedule' }), scheduleView(test, schedule)),
      h('section', {}, h('h2', { text: 'Settings' }), settingsView(test)),
      h('section', {}, h('h2', { text: 'Secrets' }),
        secrets.length ? h('ul', { class: 'secrets' }, secrets.map((s) => h('li', {}, h('code', { text: s.name ?? s })))) : h('p', { class: 'muted', text: 'No secrets.' }),
        h('p', { class: 'muted', text: 'Names only: values are write-only (byot secrets set).' }))),
    h('section', {}, h('h2', { text: 'Trends' }), h('div', { class: 'segmented', role: 'group', 'aria-label': 'Chart window' }, rangeButtons), charts),
    h('section', {}, h('h2', { text: 'Run history' }), history(id, signal)),
    alerts?.incidents?.length ? h('section', {}, h('h2', { text: 'Incidents' }), incidents(alerts.incidents)) : null);
  queueMicrotask(() => drawCharts(id, WINDOWS['24h'], charts, signal));
  return page;
}

function scheduleView(test, schedule) {
  if (!test.schedule) return h('p', { class: 'muted', text: 'No schedule: runs only when started (Run now, CLI, API).' });
  const next = schedule?.next ?? [test.schedule.nextRunAt];
  return h('div', {},
    h('p', {}, h('code', { text: test.schedule.expression }), ` (${test.schedule.timeZone})`, test.enabled ? '' : ' · paused'),
    h('p', { class: 'muted', text: 'Next slots:' }),
    h('ol', { class: 'slots' }, next.map((at) => h('li', {}, h('time', { datetime: at, text: formatDate(at) })))));
}

function settingsView(t) {
  const items = [
    ['Runtime', t.runtime], ['Command', t.command ? t.command.join(' ') : 'runtime default'], ['Timeout', `${t.timeoutSeconds} s`],
    ['Failure threshold', String(t.failureThreshold)], ['Memory', `${t.memoryMb} MiB`], ['CPUs', String(t.cpus)],
    ['Network', t.networkEnabled ? 'on' : 'off'], ['Artifact version', `v${t.artifactVersion}`], ['Created', formatDate(t.createdAt)],
  ];
  return h('dl', { class: 'kv' }, items.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
}

function history(id, signal) {
  const body = h('tbody');
  const cursors = [null];
  let index = 0;
  const newer = h('button', { type: 'button', onclick: () => { index--; load(); } }, '← Newer');
  const older = h('button', { type: 'button', onclick: () => { index++; load(); } }, 'Older →');
  const where = h('span', { class: 'muted' });
  async function load() {
    const cursor = cursors[index];
    const page = await get(`/tests/${id}/runs?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
    cursors[index + 1] = page.next;
    body.replaceChildren(...page.runs.map(runRow));
    if (!page.runs.length) body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted', text: 'No runs yet.' })));
    newer.disabled = index === 0;
    older.disabled = !page.next;
    where.textContent = `page ${index + 1}`;
  }
  load().catch((e) => { if (e.name !== 'AbortError') body.replaceChildren(h('tr', {}, h('td', { colspan: 6, class: 'error', text: e.message }))); });
  return h('div', {},
    h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['Run', 'Status', 'Trigger', 'Attempt', 'Exit', 'Duration'].map((c) => h('th', { scope: 'col', text: c })))), body)),
    h('div', { class: 'pager' }, newer, where, older));
}

function runRow(r) {
  return h('tr', { 'data-run-id': r.id, 'data-status': r.status },
    h('th', { scope: 'row' }, h('a', { href: `#/runs/${r.id}` }, time(r.queuedAt))),
    h('td', {}, badge(r.status), r.flaky ? h('span', { class: 'muted', text: ` flaky (${r.tries} tries)` }) : null, r.inMaintenance ? h('span', { class: 'muted', text: ' in maintenance' }) : null), h('td', { text: r.trigger }), h('td', { class: 'num', text: String(r.attempt) }),
    h('td', { class: 'num', text: r.exitCode ?? '—' }), h('td', { class: 'num', text: duration(r.durationMs) }));
}

function incidents(list) {
  return h('ul', { class: 'incidents' }, list.map((i) => h('li', {},
    badge(i.resolvedAt ? 'passed' : 'failing'), ' opened ', time(i.openedAt), i.resolvedAt ? [' · resolved ', time(i.resolvedAt)] : ' · open', ` · ${i.failureCount} failures`)));
}

/** Fetches the window's runs (newest first, paged) and draws uptime per bucket and durations with p50/p95. */
async function drawCharts(id, w, container, signal) {
  container.replaceChildren(h('p', { class: 'muted', text: 'Loading charts…' }));
  const since = Date.now() - w.ms;
  const runs = [];
  let cursor = null;
  try {
    for (let i = 0; i < MAX_CHART_PAGES; i++) {
      const page = await get(`/tests/${id}/runs?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
      runs.push(...page.runs);
      cursor = page.next;
      if (!cursor || new Date(page.runs.at(-1).queuedAt).getTime() < since) break;
    }
  } catch (e) {
    if (e instanceof ApiError || e.name !== 'AbortError') container.replaceChildren(h('p', { class: 'error', text: e.message }));
    return;
  }
  const judged = runs.filter((r) => JUDGED.has(r.status) && r.finishedAt && new Date(r.finishedAt).getTime() >= since).reverse();
  const start = Math.floor(since / w.bucket) * w.bucket;
  const buckets = [];
  for (let at = start; at <= Date.now(); at += w.bucket) buckets.push({ at, passed: 0, judged: 0 });
  for (const r of judged) {
    const b = buckets[Math.floor((new Date(r.finishedAt).getTime() - start) / w.bucket)];
    // A result recorded during a mute maintenance window is not downtime (the API's uptime leaves it out too).
    if (!b || r.inMaintenance) continue;
    b.judged++;
    if (r.status === 'passed') b.passed++;
  }
  const points = judged.filter((r) => r.durationMs !== null).map((r) => ({ at: new Date(r.finishedAt).getTime(), ms: r.durationMs }));
  const sorted = points.map((p) => p.ms).sort((a, b) => a - b);
  const pct = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0);
  container.replaceChildren();
  if (!judged.length) {
    container.append(h('p', { class: 'muted', text: `No finished runs in the last ${w.label}.` }));
    return;
  }
  const up = h('figure', { 'aria-label': `Uptime over ${w.label}` });
  const dur = h('figure', { 'aria-label': `Durations over ${w.label}: p50 ${duration(pct(0.5))}, p95 ${duration(pct(0.95))}` });
  container.append(up, dur);
  const range = [since / 1000, Date.now() / 1000];
  uptimeChart(up, buckets.map((b) => ({ ...b, at: b.at + w.bucket / 2 })), range, `Uptime, ${w.label}`);
  durationChart(dur, points, pct(0.5), pct(0.95), range, `Duration, ${w.label} (p50 ${duration(pct(0.5))}, p95 ${duration(pct(0.95))})`);
}
