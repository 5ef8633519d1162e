import { blobUrl, get } from '../api.js';
import { badge, duration, h, time } from '../dom.js';
import { followLog } from '../follow.js';
import { LogView } from '../logview.js';

const IMAGE = /\.(png|jpe?g|gif|webp)$/i;
const FINISHED = new Set(['passed', 'failed', 'timed_out', 'oom', 'infra_error', 'cancelled', 'skipped']);
const PREVIOUS_PAGES = 5; // how far back (× 200 runs) to look for this run in its test's history

/** One run: status, attempts, exit code, duration, the live log (SSE, resumed with Last-Event-ID), artifacts
 * (images inline), and links to the test and to its previous run. Extension point: the cases table goes here. */
export async function runPage(id, signal) {
  const run = await get(`/runs/${id}`, { signal });
  const testRequest = get(`/tests/${run.testId}`, { signal }).catch(() => null);

  const facts = h('dl', { class: 'kv facts' });
  const status = h('span', { class: 'status' });
  const showRun = (r) => {
    status.replaceChildren(badge(r.status));
    facts.replaceChildren(...[
      ['Status', badge(r.status)], ['Attempt', String(r.attempt)], ['Exit code', r.exitCode ?? '—'], ['Duration', duration(r.durationMs)],
      ['Trigger', r.trigger], ['Queued', time(r.queuedAt)], ['Started', time(r.startedAt)], ['Finished', time(r.finishedAt)],
      ['Artifact version', `v${r.artifactVersion}`], ['Log', `${r.logBytes.toLocaleString('en')} bytes${r.logTruncated ? ' (truncated)' : ''}`],
    ].flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
    // Retries inside the run: how many tries it took, and flaky when it passed only on a retry (docs/cases.md).
    if (r.tries > 1 || r.flaky) facts.append(h('dt', { text: 'Tries' }), h('dd', { text: `${r.tries}${r.flaky ? ' — flaky: passed only after failing within the run' : ''}` }));
    if (r.inMaintenance) facts.append(h('dt', { text: 'Maintenance' }), h('dd', { text: 'recorded during a mute maintenance window: left out of uptime' }));
    if (r.error) facts.append(h('dt', { text: 'Error' }), h('dd', { class: 'error', text: r.error }));
  };
  showRun(run);

  const log = new LogView('Run log');
  const logState = h('span', { class: 'muted', 'aria-live': 'polite', text: FINISHED.has(run.status) ? '' : 'following live…' });
  const artifacts = h('div', { class: 'artifacts' }, h('p', { class: 'muted', text: FINISHED.has(run.status) ? 'Loading artifacts…' : 'Files the test writes to /artifacts appear here when the run ends.' }));
  const previous = h('span');
  // The log starts streaming before the test's name is known: the name only fills the breadcrumb.
  const testCrumb = h('a', { href: `#/tests/${run.testId}`, text: 'test' });
  testRequest.then((test) => { if (test) testCrumb.textContent = test.name; else testCrumb.replaceWith('deleted test'); });

  const page = h('section', { class: 'run' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Tests'), ' / ', testCrumb, ' / '),
    h('div', { class: 'title' }, h('h1', { text: `Run ${run.id.slice(0, 8)}` }), status),
    h('nav', { class: 'actions', 'aria-label': 'Related runs' }, previous),
    facts,
    h('section', {}, h('div', { class: 'log-head' }, h('h2', { text: 'Log' }), log.count, logState,
      h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(log.text()) }, 'Copy')), log.viewport),
    h('section', {}, h('h2', { text: 'Artifacts' }), artifacts));

  // The SSE stream carries lines and the final run; while it runs, the status is polled so queued → running shows.
  const poll = setInterval(async () => {
    if (signal.aborted) { clearInterval(poll); return; }
    try {
      const now = await get(`/runs/${id}`, { signal });
      if (FINISHED.has(now.status)) clearInterval(poll);
      else showRun(now);
    } catch { clearInterval(poll); }
  }, 2000);
  if (FINISHED.has(run.status)) clearInterval(poll);

  followLog(run.id, {
    signal,
    onLine: (line) => log.append(line),
    onReconnect: (at) => { logState.textContent = `reconnecting at byte ${at ?? 0}…`; },
  }).then((finished) => {
    clearInterval(poll);
    logState.textContent = '';
    if (finished) showRun(finished);
    loadArtifacts(run.id, artifacts, signal);
  }).catch((e) => { if (e.name !== 'AbortError') logState.textContent = `log unavailable: ${e.message}`; });

  if (FINISHED.has(run.status)) loadArtifacts(run.id, artifacts, signal);
  findPrevious(run, signal).then((prev) => {
    previous.replaceChildren(prev ? h('a', { href: `#/runs/${prev.id}`, rel: 'prev' }, '← Previous run (', prev.status, ')') : h('span', { class: 'muted', text: 'No earlier run' }));
  }).catch(() => {});
  return page;
}

const artifactsLoaded = new WeakSet();
async function loadArtifacts(runId, container, signal) {
  if (artifactsLoaded.has(container)) return;
  artifactsLoaded.add(container);
  const list = await get(`/runs/${runId}/artifacts`, { signal });
  if (!list.length) {
    container.replaceChildren(h('p', { class: 'muted', text: 'This run kept no files from /artifacts.' }));
    return;
  }
  const images = h('div', { class: 'gallery' });
  const files = h('ul', { class: 'files' });
  for (const a of list) {
    const link = h('a', { href: '#', onclick: async (e) => {
      e.preventDefault();
      const url = await blobUrl(a.links.self, signal);
      h('a', { href: url, download: a.path.split('/').at(-1) }).click();
    } }, a.path);
    files.append(h('li', {}, link, h('span', { class: 'muted', text: ` ${a.sizeBytes.toLocaleString('en')} bytes` })));
    if (IMAGE.test(a.path)) {
      const img = h('img', { alt: `Artifact ${a.path}`, loading: 'lazy' });
      images.append(h('figure', {}, img, h('figcaption', { text: a.path })));
      blobUrl(a.links.self, signal).then((url) => { img.src = url; }).catch(() => { img.alt = `${a.path} (could not be loaded)`; });
    }
  }
  container.replaceChildren(images, files);
}

async function findPrevious(run, signal) {
  let cursor = null;
  let seen = false;
  for (let i = 0; i < PREVIOUS_PAGES; i++) {
    const page = await get(`/tests/${run.testId}/runs?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
    for (const r of page.runs) {
      if (seen) return r;
      if (r.id === run.id) seen = true;
    }
    cursor = page.next;
    if (!cursor) return null;
  }
  return null;
}
