import uPlot from 'uplot';

function colour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function axes() {
  const stroke = colour('--muted');
  const grid = { stroke: colour('--grid'), width: 1 };
  return [{ stroke, grid, ticks: grid }, { stroke, grid, ticks: grid, size: 60 }];
}

function width(container) {
  return Math.max(280, Math.min(900, container.clientWidth || 600));
}

/** Uptime per bucket (hour or day) over the window, 0–100 %. */
export function uptimeChart(container, buckets, range, label) {
  const data = [buckets.map((b) => b.at / 1000), buckets.map((b) => (b.judged ? (100 * b.passed) / b.judged : null))];
  return new uPlot({
    title: label, width: width(container), height: 200,
    scales: { x: { time: true, range: () => range }, y: { range: [0, 100] } },
    axes: axes().map((a, i) => (i === 1 ? { ...a, values: (u, v) => v.map((x) => `${x} %`) } : a)),
    series: [{}, { label: 'uptime', stroke: colour('--ok'), fill: colour('--ok-fill'), width: 2, points: { show: true, size: 7 }, value: (u, v) => (v === null ? '—' : `${v.toFixed(1)} %`) }],
  }, data, container);
}

/** Each run's duration, with the window's p50 and p95 as flat lines. */
export function durationChart(container, points, p50, p95, range, label) {
  const xs = points.map((p) => p.at / 1000);
  const data = [xs, points.map((p) => p.ms / 1000), xs.map(() => p50 / 1000), xs.map(() => p95 / 1000)];
  return new uPlot({
    title: label, width: width(container), height: 200,
    scales: { x: { time: true, range: () => range }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: axes().map((a, i) => (i === 1 ? { ...a, values: (u, v) => v.map((x) => `${x} s`) } : a)),
    series: [
      {},
      { label: 'duration', stroke: colour('--accent'), width: 0, points: { show: true, size: 6, fill: colour('--accent') }, value: (u, v) => (v === null ? '—' : `${v.toFixed(2)} s`) },
      { label: 'p50', stroke: colour('--muted'), width: 1, dash: [4, 4], points: { show: false } },
      { label: 'p95', stroke: colour('--bad'), width: 1, dash: [6, 3], points: { show: false } },
    ],
  }, data, container);
}
