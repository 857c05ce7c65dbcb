// The dashboard's shell: the tabs (arrow keys move between them), and the polling of the view shown.

import { bucketsView } from './buckets.js';
import { onKey, reportFailure } from './common.js';
import { overviewView } from './overview.js';
import { quotaView } from './quota.js';
import { requestsView } from './requests.js';
import { usageView } from './usage.js';

const views = {
  overview: overviewView,
  buckets: bucketsView,
  requests: requestsView,
  usage: usageView,
  quota: quotaView,
};
const names = Object.keys(views);
const pollMs = 1000;
let current = names.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'overview';
let timer = null;

function show(name, focus) {
  current = name;
  for (const other of names) {
    const tab = document.getElementById(`tab-${other}`);
    const selected = other === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(`view-${other}`).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  poll();
}

async function poll() {
  clearTimeout(timer);
  const polled = current;
  try {
    await views[polled].refresh();
    if (polled === current) timer = setTimeout(poll, views[polled].pollMs ?? pollMs);
  } catch (error) {
    reportFailure(error);
    if (error.name !== 'NeedsKey' && polled === current) timer = setTimeout(poll, pollMs * 3);
  }
}

const tabs = document.getElementById('tabs');
for (const name of names) document.getElementById(`tab-${name}`).addEventListener('click', () => show(name, false));
tabs.addEventListener('keydown', (event) => {
  const index = names.indexOf(current);
  const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: names.length - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  show(names[(moves[event.key] + names.length) % names.length], true);
});
for (const view of Object.values(views)) view.start?.(() => poll());
onKey(() => poll());
show(current, false);
