import { h } from './dom.js';

const LINE_HEIGHT = 18; // px; fixed (lines never wrap) so the view can render only the rows on screen
const OVERSCAN = 30;

/** A virtualised log: holds every line in an array but keeps only the visible rows in the DOM, and takes
 * appended lines in batches (one repaint per animation frame), so a 100,000-line log does not freeze the tab. */
export class LogView {
  constructor(label) {
    this.lines = [];
    this.pending = [];
    this.follow = true;
    this.spacer = h('div', { class: 'log-spacer' });
    this.rows = h('pre', { class: 'log-rows' });
    this.count = h('span', { class: 'muted', text: '0 lines' });
    this.viewport = h('div', { class: 'log', tabindex: '0', role: 'log', 'aria-label': label }, this.spacer, this.rows);
    this.viewport.addEventListener('scroll', () => {
      const bottom = this.viewport.scrollHeight - this.viewport.clientHeight - this.viewport.scrollTop;
      this.follow = bottom < LINE_HEIGHT * 2;
      this.paint();
    }, { passive: true });
    this.frame = 0;
  }

  append(line) {
    this.pending.push(line);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    this.frame = 0;
    for (const line of this.pending) this.lines.push(line);
    this.pending = [];
    this.spacer.style.height = `${this.lines.length * LINE_HEIGHT}px`;
    // Short logs get a short box; long ones stop at 60 % of the window and scroll.
    this.viewport.style.height = `${Math.max(8 * LINE_HEIGHT, Math.min(this.lines.length * LINE_HEIGHT + 24, innerHeight * 0.6))}px`;
    this.count.textContent = `${this.lines.length.toLocaleString('en')} line${this.lines.length === 1 ? '' : 's'}`;
    if (this.follow) this.viewport.scrollTop = this.viewport.scrollHeight;
    this.paint();
  }

  paint() {
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / LINE_HEIGHT) - OVERSCAN);
    const visible = Math.ceil((this.viewport.clientHeight || 600) / LINE_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(this.lines.length, first + visible);
    if (first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    this.rows.style.transform = `translateY(${first * LINE_HEIGHT}px)`;
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const line = this.lines[i];
      fragment.append(h('div', { class: line.includes('[stderr') ? 'l-err' : line.includes('[byot]') ? 'l-byot' : undefined, text: line }));
    }
    this.rows.replaceChildren(fragment);
  }

  text() {
    return this.lines.join('\n');
  }
}
