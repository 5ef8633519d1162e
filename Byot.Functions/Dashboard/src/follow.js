import { request } from './api.js';

/** Follows a run's log over Server-Sent Events (fetch, so the key goes in a header, which EventSource cannot
 * send). Each event's id is the byte offset after it; when the server ends a response (Azure cuts one at about
 * 230 s, BYOT ends it sooner) or the network drops, it reconnects with Last-Event-ID and resumes without gaps or
 * repeats. Resolves with the finished run carried by the `end` event. */
export async function followLog(runId, { onLine, onReconnect, signal }) {
  let lastEventId = null;
  let failures = 0;
  for (;;) {
    try {
      const response = await request('GET', `/runs/${runId}/logs?follow=true`, {
        accept: 'text/event-stream',
        signal,
        headers: lastEventId === null ? {} : { 'Last-Event-ID': lastEventId },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        failures = 0;
        buffer += value;
        // Events are cut by index and the rest kept once per chunk: slicing after each event would copy the
        // remaining chunk every time, quadratic when a chunk carries thousands of lines.
        let start = 0;
        let end;
        while ((end = buffer.indexOf('\n\n', start)) >= 0) {
          const event = parse(buffer.slice(start, end));
          start = end + 2;
          if (event.id !== null) lastEventId = event.id;
          if (event.type === 'end') return JSON.parse(event.data);
          // A block without data (the server's ": follow time is up" comment) is no event, as in EventSource.
          if (event.hasData) onLine(event.data);
        }
        buffer = buffer.slice(start);
      }
    } catch (e) {
      if (signal?.aborted || e.name === 'AbortError') throw e;
      if (e.status && e.status < 500) throw e;
      failures++;
    }
    onReconnect?.(lastEventId);
    await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** failures)));
  }
}

function parse(block) {
  const event = { id: null, type: 'message', data: '' };
  const data = [];
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') event.id = value;
    else if (field === 'event') event.type = value;
    else if (field === 'data') data.push(value);
  }
  event.data = data.join('\n');
  event.hasData = data.length > 0;
  return event;
}
