import { ApiError, key, request } from './api.js';
import { h } from './dom.js';
import { testsPage } from './pages/tests.js';
import { testPage } from './pages/test.js';
import { runPage } from './pages/run.js';

// Hash routes keep every page behind the one /app shell: #/ (tests), #/tests/{id}, #/runs/{id}.
// Extension point: incidents, cases and maintenance windows add a route here when their API lands.
const routes = [
  [/^#?\/?(?:\?(.*))?$/, (m, signal) => testsPage(new URLSearchParams(m[1] ?? ''), signal)],
  [/^#\/tests\/([0-9a-f-]{36})$/i, (m, signal) => testPage(m[1], signal)],
  [/^#\/runs\/([0-9a-f-]{36})$/i, (m, signal) => runPage(m[1], signal)],
];

const main = document.getElementById('main');
let current = null;

async function render() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  document.getElementById('forget').hidden = !key.get();
  if (!key.get()) {
    show(keyForm());
    return;
  }

  const hash = location.hash || '#/';
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (!route) {
    show(h('section', {}, h('h1', { text: 'Not found' }), h('p', {}, 'No page at ', h('code', { text: hash }), '. ', h('a', { href: '#/' }, 'Back to the tests'))));
    return;
  }

  try {
    const page = await route[1](hash.match(route[0]), controller.signal);
    if (!controller.signal.aborted) show(page);
  } catch (e) {
    if (controller.signal.aborted || e.name === 'AbortError') return;
    if (e instanceof ApiError && e.status === 401) {
      key.forget();
      show(keyForm('The API refused that key (401). Enter a valid function key.'));
      return;
    }
    show(h('section', { class: 'error', role: 'alert' }, h('h1', { text: 'Something went wrong' }), h('p', { text: e.message })));
  }
}

function show(node) {
  main.replaceChildren(node);
  performance.mark('byot:page-shown'); // read by the dashboard benchmark
  const heading = main.querySelector('h1');
  if (heading) document.title = `${heading.textContent} · BYOT`;
}

function keyForm(message) {
  const input = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'key-help' });
  const error = h('p', { class: 'error', role: 'alert', text: message ?? '' });
  const form = h('form', {
    class: 'key-form',
    onsubmit: async (event) => {
      event.preventDefault();
      key.set(input.value.trim());
      try {
        await request('GET', '/tests');
        render();
      } catch (e) {
        key.forget();
        error.textContent = e instanceof ApiError && e.status === 401
          ? 'The API refused that key (401). Check it and try again.'
          : `The API did not answer: ${e.message}`;
        input.focus();
      }
    },
  },
  h('h1', { text: 'Sign in' }),
  h('label', { for: 'key' }, 'Function key'),
  input,
  h('p', { id: 'key-help', class: 'muted' }, 'The Functions app\'s function key (sent as x-functions-key). It is kept in this browser tab\'s session storage only, until you close the tab or press "Forget key".'),
  error,
  h('button', { type: 'submit', class: 'primary' }, 'Open the dashboard'));
  queueMicrotask(() => input.focus());
  return form;
}

document.getElementById('forget').addEventListener('click', () => { key.forget(); render(); });
window.addEventListener('hashchange', render);
render();
