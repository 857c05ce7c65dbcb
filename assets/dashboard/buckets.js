// Buckets: every bucket known, in a profile or not, with its state and login. The actions on a
// bucket go in #bucket-actions: reordering a model profile's buckets here; the rest still in the CLI.
import { ago, element, fetchData, sendAdmin, stateLabel, table } from './common.js';

const list = document.getElementById('bucket-list');
const actions = document.getElementById('bucket-actions');
const order = element('div');
order.id = 'profile-order';
const status = element('p');
status.id = 'bucket-actions-status';
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
const cliHint = element(
  'p',
  'muted',
  'Add, log in, pause, resume and reset buckets with the CLI: `switchyard auth PROVIDER login BUCKET`, ' +
    '`switchyard bucket pause|resume|reset PROVIDER/BUCKET`.',
);
actions.append(order, status, cliHint);
/** The profiles last drawn, so that a poll redraws (and loses the focus) only when an order changed. */
let drawnOrders = '';
/** Bumped by each saved move: a poll asked before it carries the old order and must not draw it back. */
let saves = 0;

/** Model profiles the page can reorder: their own buckets, read without error (not load balancers). */
function reorderable(view) {
  return view.profiles.filter(
    (profile) =>
      profile.error === null &&
      profile.chain.length > 0 &&
      profile.chain.every((entry) => entry.via === profile.name && entry.provider === profile.chain[0].provider),
  );
}

async function move(profile, buckets, index, step) {
  const moved = [...buckets];
  [moved[index], moved[index + step]] = [moved[index + step], moved[index]];
  status.textContent = `Saving the order of ${profile}\u2026`;
  const result = await sendAdmin('PATCH', `/profiles/${encodeURIComponent(profile)}`, { buckets: moved });
  if (!result.ok) {
    status.textContent = `Not saved: ${result.message}`;
    return;
  }
  status.textContent = `Saved ${profile}: ${moved.join(' \u2192 ')}.`;
  saves += 1;
  const asked = saves;
  drawOrders(await fetchData('/dashboard/data'), asked);
  // Keep the keyboard on the bucket that moved (or on its other button once it reached an end).
  const item = order.querySelector(`[data-profile-order="${profile}"] li:nth-child(${index + step + 1})`);
  const same = item?.querySelector(`button[data-move="${step < 0 ? 'up' : 'down'}"]`);
  (same && !same.disabled ? same : item?.querySelector('button:not([disabled])'))?.focus();
}

function drawOrders(view, asked) {
  if (asked !== saves) return;
  const profiles = reorderable(view);
  const signature = JSON.stringify(profiles.map((profile) => [profile.name, profile.chain.map((entry) => entry.key)]));
  if (signature === drawnOrders) return;
  drawnOrders = signature;
  order.replaceChildren();
  if (profiles.length === 0) return;
  order.appendChild(element('h3', null, 'Bucket order (first = primary)'));
  for (const profile of profiles) {
    const buckets = profile.chain.map((entry) => entry.bucket);
    const section = element('section');
    section.dataset.profileOrder = profile.name;
    const title = element('h4', null, profile.name);
    title.id = `order-title-${profile.name}`;
    const items = element('ol');
    items.setAttribute('aria-labelledby', title.id);
    profile.chain.forEach((entry, index) => {
      const item = element('li');
      item.dataset.bucket = entry.key;
      item.appendChild(element('span', 'bucket-name', entry.key));
      for (const [direction, step, text] of [
        ['up', -1, '\u2191 Up'],
        ['down', 1, '\u2193 Down'],
      ]) {
        const button = element('button', null, text);
        button.type = 'button';
        button.dataset.move = direction;
        button.setAttribute('aria-label', `Move ${entry.key} ${direction} in ${profile.name}`);
        button.disabled = index + step < 0 || index + step >= buckets.length;
        button.addEventListener('click', () => move(profile.name, buckets, index, step));
        item.appendChild(button);
      }
      items.appendChild(item);
    });
    section.append(title, items);
    order.appendChild(section);
  }
}

function render(view, asked) {
  const rows = view.buckets.map((bucket) => {
    const state = element('td', 'state', stateLabel(bucket.state));
    if (bucket.reason) state.title = bucket.reason;
    return [
      bucket.key,
      state,
      bucket.availableAt ?? '\u2014',
      bucket.requests,
      bucket.successRate === null ? '\u2014' : `${Math.round(bucket.successRate * 1000) / 10} %`,
      bucket.inputTokens + bucket.outputTokens,
      ago(bucket.lastUsedSecondsAgo),
    ];
  });
  const node = table(['bucket', 'state', 'available at', 'requests', 'success', 'tokens', 'last used'], rows);
  node.id = 'bucket-table';
  list.replaceChildren(
    view.buckets.length === 0 ? element('p', 'muted', 'No bucket yet: log one in with `switchyard auth`.') : node,
  );
  drawOrders(view, asked);
}

export const bucketsView = {
  async refresh() {
    const asked = saves;
    render(await fetchData('/dashboard/data'), asked);
  },
};
