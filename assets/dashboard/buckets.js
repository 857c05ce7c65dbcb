// Buckets: every bucket known, in a profile or not, with its state and login. The actions on a
// bucket (add, log in, pause, reset, reorder) go in #bucket-actions; until then the CLI does them.
import { ago, element, fetchData, stateLabel, table } from './common.js';

const list = document.getElementById('bucket-list');
const actions = document.getElementById('bucket-actions');

function render(view) {
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
  if (actions.childElementCount === 0)
    actions.appendChild(
      element(
        'p',
        'muted',
        'Add, log in, pause, resume, reset and reorder buckets with the CLI: `switchyard auth PROVIDER login BUCKET`, ' +
          '`switchyard bucket pause|resume|reset PROVIDER/BUCKET`, `switchyard profile edit NAME`.',
      ),
    );
}

export const bucketsView = {
  async refresh() {
    render(await fetchData('/dashboard/data'));
  },
};
