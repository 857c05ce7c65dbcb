// Overview: each profile in use with its chain of buckets, their state, a live countdown to a
// resting bucket's reset, and who takes the traffic now.
import { chartsView } from './charts.js';
import { ago, element, fetchData, formatNumber, formatTime, span, stateLabel } from './common.js';
import { bucketSignature, syncRows } from './keyed-rows.js';

const profilesElement = document.getElementById('profiles');
const summary = document.getElementById('summary');

function bucketRow(entry, receivedAt) {
  const row = element('tr', `state-${entry.state}${entry.takesTraffic ? ' traffic' : ''}`);
  row.dataset.bucket = entry.key;
  row.dataset.state = entry.state;
  row.appendChild(element('td', 'number', entry.position));
  const name = element('td', 'bucket', entry.key);
  if (entry.via && entry.model) name.title = `via ${entry.via}, model ${entry.model}`;
  row.appendChild(name);
  const state = element('td', 'state', stateLabel(entry.state));
  if (entry.reason) state.title = entry.reason;
  row.appendChild(state);
  const reset = element('td', 'reset');
  if (entry.availableInSeconds !== null) {
    const countdown = element('span', 'countdown', span(entry.availableInSeconds));
    countdown.dataset.until = String(receivedAt + entry.availableInSeconds * 1000);
    countdown.title = `available again at ${entry.availableAt}`;
    reset.appendChild(countdown);
  } else if (entry.state === 'needs-login') {
    reset.textContent = `switchyard auth ${entry.provider} login ${entry.bucket}`;
    reset.className = 'reset muted';
  } else {
    reset.textContent = '\u2014';
  }
  row.appendChild(reset);
  row.appendChild(element('td', 'number requests', entry.requests));
  const success = entry.successRate === null ? '\u2014' : `${Math.round(entry.successRate * 1000) / 10} %`;
  row.appendChild(element('td', 'number success', success));
  const tokens =
    `${formatNumber(entry.inputTokens + entry.outputTokens)} ` +
    `(${formatNumber(entry.inputTokens)} in / ${formatNumber(entry.outputTokens)} out)`;
  row.appendChild(element('td', 'number tokens', tokens));
  row.appendChild(element('td', 'last-used', ago(entry.lastUsedSecondsAgo)));
  return row;
}

/** A profile's heading and table, without rows: syncRows fills them, so they outlive the heading's polls. */
function profileSection(profile) {
  const section = element('section', 'profile');
  section.dataset.profile = profile.name;
  const heading = element('h2', null, profile.name);
  if (profile.active) heading.appendChild(element('span', 'tag', 'active'));
  if (profile.policy) heading.appendChild(element('span', 'tag muted', profile.policy));
  if (profile.source === 'example') heading.appendChild(element('span', 'tag muted', 'example'));
  section.appendChild(heading);
  if (profile.error) {
    section.appendChild(element('p', 'error', profile.error));
    return section;
  }
  const table = element('table');
  const head = element('tr');
  for (const title of ['#', 'bucket', 'state', 'resets in', 'requests', 'success', 'tokens', 'last used'])
    head.appendChild(element('th', null, title));
  table.appendChild(element('thead')).appendChild(head);
  table.appendChild(element('tbody'));
  section.appendChild(table);
  return section;
}

/** What a profile's heading shows: its rows are compared one by one. */
function headingSignature(profile) {
  const { name, source, active, policy, error } = profile;
  return JSON.stringify({ name, source, active, policy, error });
}

/** Draws only the profiles and rows that changed since the last poll: a pool can hold thousands of buckets. */
function render(view, receivedAt) {
  if (view.profiles.length === 0)
    profilesElement.replaceChildren(
      element('p', 'muted', 'No profile in use yet: create one with `switchyard profile create` or load an example.'),
    );
  else {
    syncRows(profilesElement, view.profiles, {
      key: (profile) => profile.name,
      signature: headingSignature,
      draw: profileSection,
    });
    for (const [index, profile] of view.profiles.entries()) {
      const body = profilesElement.children[index].querySelector('tbody');
      if (body === null) continue;
      const rows = syncRows(body, profile.chain, {
        key: (entry) => entry.key,
        signature: (entry) =>
          bucketSignature(entry) + JSON.stringify([entry.position, entry.via, entry.model, entry.takesTraffic]),
        draw: (entry) => bucketRow(entry, receivedAt),
      });
      // A kept row counts down from this poll's "seconds until": the server's clock may have jumped.
      for (const [position, entry] of profile.chain.entries()) {
        const countdown = entry.availableInSeconds === null ? null : rows[position].querySelector('.countdown');
        if (countdown) countdown.dataset.until = String(receivedAt + entry.availableInSeconds * 1000);
      }
    }
  }
  const count = (state) => view.buckets.filter((bucket) => bucket.state === state).length;
  summary.textContent =
    `${view.buckets.length} buckets: ${count('ready')} ready, ${count('cooling') + count('exhausted')} resting, ` +
    `${count('needs-login')} need login \u00B7 active profile: ${view.profile || 'none'} \u00B7 ` +
    `updated ${formatTime(Date.now())}`;
}

/** Counts resets down between polls from the server's own "seconds until", not the browser's clock. */
function tick() {
  const now = performance.now();
  for (const countdown of document.querySelectorAll('.countdown')) {
    const left = (Number(countdown.dataset.until) - now) / 1000;
    countdown.textContent = left > 0 ? span(left) : 'now';
  }
}

export const overviewView = {
  start(poll) {
    setInterval(tick, 250);
    chartsView.start(poll);
  },
  async refresh() {
    const view = await fetchData('/dashboard/data');
    render(view, performance.now());
    await chartsView.refresh();
  },
};
