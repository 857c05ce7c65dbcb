// Requests: the live log of recent requests, filtered and searched on the server.
import { downloadCsv, element, fetchData, table } from './common.js';

const container = document.getElementById('request-log');
const searchInput = document.getElementById('request-search');
const statusSelect = document.getElementById('request-status');
const note = document.getElementById('request-note');

function query() {
  const parameters = new URLSearchParams();
  if (searchInput.value.trim()) parameters.set('search', searchInput.value.trim());
  if (statusSelect.value) parameters.set('status', statusSelect.value);
  return parameters;
}

function milliseconds(value) {
  return value === null ? '\u2014' : `${value} ms`;
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
      new Date(entry.time).toLocaleTimeString(),
      entry.client ?? '\u2014',
      entry.profile ?? '\u2014',
      entry.model ?? '\u2014',
      entry.attempts.join(' \u2192 ') || '\u2014',
      status,
      entry.inputTokens + entry.outputTokens,
      milliseconds(entry.firstByteMs),
      milliseconds(entry.durationMs),
    ];
  });
  const node = table(
    ['time', 'client', 'profile', 'model', 'attempts', 'status', 'tokens', 'first byte', 'duration'],
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
