// What every view shares: the admin key, the data fetch, small DOM helpers and CSV download.

const keyName = 'switchyard-key';
let key = sessionStorage.getItem(keyName) || '';
const keyFragment = /(?:^#|&)key=([^&]+)/.exec(location.hash);
if (keyFragment) {
  key = decodeURIComponent(keyFragment[1]);
  sessionStorage.setItem(keyName, key);
  history.replaceState(null, '', location.pathname);
}

const problem = document.getElementById('problem');
const keyForm = document.getElementById('key-form');
const keyListeners = [];

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  key = document.getElementById('key').value.trim();
  sessionStorage.setItem(keyName, key);
  keyForm.hidden = true;
  for (const listener of keyListeners) listener();
});

/** Calls `listener` when the user gives a key (the views poll again). */
export function onKey(listener) {
  keyListeners.push(listener);
}

/** Thrown when the server wants a key: the key form is shown and the view waits for it. */
export class NeedsKey extends Error {
  name = 'NeedsKey';
}

/** The JSON of a `/dashboard/data...` route with the key given, or NeedsKey. */
export async function fetchData(path) {
  const response = await fetch(path, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    cache: 'no-store',
  });
  if (response.status === 401 || response.status === 403) {
    keyForm.hidden = false;
    problem.textContent =
      response.status === 403
        ? 'That key may not see the pool: give SWITCHYARD_ADMIN_KEY (or SWITCHYARD_API_KEY).'
        : key
          ? 'That key was refused.'
          : 'This switchyard needs a key to show the pool.';
    throw new NeedsKey();
  }
  if (!response.ok) {
    // The server's own words where it gave them (why there is nothing to show), else the status.
    const answer = await response.json().catch(() => undefined);
    throw new Error(answer?.error?.message ?? `the server answered ${response.status}`);
  }
  problem.textContent = '';
  return response.json();
}

/**
 * Sends an admin action (JSON) with the key given; the answer's JSON, and its error message when
 * refused, so the page shows the server's own words (the CLI's validation messages).
 */
export async function sendAdmin(method, path, body) {
  const headers = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(path, { method, headers, body: JSON.stringify(body), cache: 'no-store' });
  const answer = await response.json().catch(() => ({}));
  const message = answer?.error?.message ?? `the server answered ${response.status}`;
  return { ok: response.ok, status: response.status, answer, message };
}

/** Shows why a poll failed (not a missing key: the form says that). */
export function reportFailure(error) {
  if (!(error instanceof NeedsKey)) problem.textContent = `Cannot reach switchyard (${error.message}); retrying.`;
}

/** Saves a route's CSV (`?format=csv`) as a file, with the key (a plain link could not send it). */
export async function downloadCsv(path, fileName) {
  const response = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {}, cache: 'no-store' });
  if (!response.ok) {
    problem.textContent = `The export failed: the server answered ${response.status}.`;
    return;
  }
  const link = element('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1_000);
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A table with `titles` as its head and one row per item of `rows` (arrays of cells or nodes). */
export function table(titles, rows, caption) {
  const node = element('table');
  if (caption) node.appendChild(element('caption', null, caption));
  const head = element('tr');
  for (const title of titles) head.appendChild(element('th', null, title));
  node.appendChild(element('thead')).appendChild(head);
  const body = node.appendChild(element('tbody'));
  for (const cells of rows) body.appendChild(tableRow(cells));
  return node;
}

/** A table row of `cells`: nodes as they are, numbers right-aligned, anything else as text. */
export function tableRow(cells) {
  const row = element('tr');
  for (const cell of cells) {
    if (cell instanceof Node) row.appendChild(cell);
    else row.appendChild(element('td', typeof cell === 'number' ? 'number' : null, cell));
  }
  return row;
}

/** "1:30" or "1:02:03" for a number of seconds. */
export function span(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const two = (value) => (value < 10 ? '0' : '') + value;
  return hours > 0 ? `${hours}:${two(minutes)}:${two(rest)}` : `${minutes}:${two(rest)}`;
}

export function ago(seconds) {
  if (seconds === null) return 'never';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

export function stateLabel(state) {
  return state === 'needs-login' ? 'needs login' : state;
}

// Dates and numbers in the language locale-guard.js left usable (never the engine's default,
// which under the POSIX locale Intl refuses).
/** `1,234` */
export function formatNumber(value) {
  return value.toLocaleString(navigator.language);
}

/** Date and time of `when` (a Date, milliseconds or an ISO string). */
export function formatDateTime(when) {
  return new Date(when).toLocaleString(navigator.language);
}

/** Time of day of `when` (a Date, milliseconds or an ISO string). */
export function formatTime(when) {
  return new Date(when).toLocaleTimeString(navigator.language);
}
