// Quota: a bar per usage window per bucket, from what the providers' answers said.
import { element, fetchData, formatDateTime } from './common.js';

const container = document.getElementById('quota');

function bar(bucket, window) {
  const row = element('div', 'quota-window');
  row.dataset.bucket = bucket.key;
  row.dataset.window = window.name;
  const label = element('label', null, `${bucket.key} \u00B7 ${window.name}`);
  const meter = element('meter');
  meter.id = `quota-${bucket.key}-${window.name}`.replace(/[^A-Za-z0-9_-]/g, '-');
  label.htmlFor = meter.id;
  meter.min = 0;
  meter.max = 1;
  meter.low = 0.7;
  meter.high = 0.9;
  meter.optimum = 0;
  meter.value = window.used ?? (window.status === 'rejected' ? 1 : 0);
  const used = window.used === null ? (window.status ?? 'no share given') : `${Math.round(window.used * 100)} % used`;
  const resets = window.resetsAt === null ? '' : `, resets ${formatDateTime(window.resetsAt)}`;
  row.append(label, meter, element('span', 'muted', used + resets));
  return row;
}

function render(data) {
  const buckets = data.buckets.filter((bucket) => bucket.windows.length > 0);
  if (buckets.length === 0) {
    container.replaceChildren(
      element('p', 'muted', 'No quota data yet: it appears once a provider reports usage windows.'),
    );
    return;
  }
  const fragment = document.createDocumentFragment();
  for (const bucket of buckets) for (const window of bucket.windows) fragment.appendChild(bar(bucket, window));
  container.replaceChildren(fragment);
}

export const quotaView = {
  pollMs: 5000,
  async refresh() {
    render(await fetchData('/dashboard/data/quota'));
  },
};
