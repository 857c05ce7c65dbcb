// Requests: the live log of recent requests, filtered and searched on the server.
import { downloadCsv, element, fetchData, formatTime, table } from './common.js';

const container = document.getElementById('request-log');
const searchInput = document.getElementById('request-search');
const statusSelect = document.getElementById('request-status');
const note = document.getElementById('request-note');
const detail = document.getElementById('request-bodies');

function query() {
  const parameters = new URLSearchParams();
  if (searchInput.value.trim()) parameters.set('search', searchInput.value.trim());
  if (statusSelect.value) parameters.set('status', statusSelect.value);
  return parameters;
}

function milliseconds(value) {
  return value === null ? '\u2014' : `${value} ms`;
}

/** One captured body: its text as kept (credentials already redacted by the server), and whether it was cut. */
function bodyBlock(title, body) {
  const block = element('section', 'captured-body');
  const size = `${body.bytes} bytes${body.truncated ? `, cut to the first ${new TextEncoder().encode(body.text).length}` : ''}`;
  block.append(element('h3', '', `${title} (${size})`), element('pre', '', body.text || '(empty)'));
  return block;
}

/** Shows a request's captured bodies below the log; the poll redraws the table, not this. */
async function showBodies(id) {
  detail.replaceChildren(element('p', 'muted', `Loading the bodies of request ${id}\u2026`));
  try {
    const captured = await fetchData(`/dashboard/data/requests/${id}/bodies`);
    const headers = Object.entries(captured.request.headers ?? {})
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n');
    detail.replaceChildren(
      element('h2', '', `Request ${id}`),
      element('pre', 'captured-headers', headers || '(no headers kept)'),
      bodyBlock('Request body', captured.request),
      bodyBlock('Response body', captured.response),
    );
  } catch (error) {
    // The server's own words: capture off, or the request has left the log.
    detail.replaceChildren(element('p', 'error', `No bodies to show: ${error.message}`));
  }
}

function bodiesCell(entry) {
  const cell = element('td');
  if (!entry.bodies) {
    cell.textContent = '\u2014';
    return cell;
  }
  const button = element('button', '', 'Show');
  button.type = 'button';
  button.setAttribute('aria-label', `Show the captured bodies of request ${entry.id}`);
  button.addEventListener('click', () => showBodies(entry.id));
  cell.append(button);
  return cell;
}

function render(data) {
  note.textContent =
    `Kept in memory for ${data.keep.minutes} min or ${data.keep.requests} requests, whichever comes first. ` +
    (data.bodyCapture
      ? 'Bodies are captured.'
      : 'Bodies are not captured: only who, where, status, tokens and timings.');
  if (data.requests.length === 0) {
    container.replaceChildren(element('p', 'muted', 'No request matches.'));
    return;
  }
  const rows = data.requests.map((entry) => {
    const status = element('td', `number status ${entry.status >= 200 && entry.status < 300 ? '' : 'error'}`);
    status.textContent = entry.code ? `${entry.status} ${entry.code}` : String(entry.status);
    return [
      formatTime(entry.time),
      entry.client ?? '\u2014',
      entry.profile ?? '\u2014',
      entry.model ?? '\u2014',
      entry.attempts.join(' \u2192 ') || '\u2014',
      status,
      entry.inputTokens + entry.outputTokens,
      milliseconds(entry.firstByteMs),
      milliseconds(entry.durationMs),
      ...(data.bodyCapture ? [bodiesCell(entry)] : []),
    ];
  });
  const node = table(
    [
      'time',
      'client',
      'profile',
      'model',
      'attempts',
      'status',
      'tokens',
      'first byte',
      'duration',
      ...(data.bodyCapture ? ['bodies'] : []),
    ],
    rows,
  );
  node.id = 'request-table';
  node.querySelectorAll('tbody tr').forEach((row, index) => {
    row.dataset.id = String(data.requests[index].id);
  });
  container.replaceChildren(node);
}

export const requestsView = {
  pollMs: 2000,
  start(poll) {
    let typing = null;
    searchInput.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(poll, 250);
    });
    statusSelect.addEventListener('change', poll);
    document.getElementById('request-csv').addEventListener('click', () => {
      const parameters = query();
      parameters.set('format', 'csv');
      downloadCsv(`/dashboard/data/requests?${parameters}`, 'switchyard-requests.csv');
    });
  },
  async refresh() {
    render(await fetchData(`/dashboard/data/requests?${query()}`));
  },
};
