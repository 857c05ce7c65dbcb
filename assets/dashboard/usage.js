// Usage: tokens per bucket, client and model (cache reads and writes apart) with their estimated cost at the
// providers' API prices; a subscription bucket shows what its traffic would have cost on the API.
import { downloadCsv, element, fetchData, formatDateTime, table } from './common.js';

const container = document.getElementById('usage');
const tables = [
  ['buckets', 'Per bucket'],
  ['clients', 'Per client'],
  ['models', 'Per model'],
];

function dollars(line) {
  if (line.cost === null) return 'no price known';
  const text = `$${line.cost.toFixed(line.cost < 1 ? 4 : 2)}`;
  return line.unpriced ? `${text} + unpriced` : text;
}

function section(name, title, lines) {
  const node = element('section', 'usage-table');
  node.dataset.table = name;
  const heading = element('div', 'controls');
  heading.appendChild(element('h2', null, title));
  const button = element('button', null, 'Export CSV');
  button.type = 'button';
  button.id = `usage-csv-${name}`;
  button.setAttribute('aria-label', `Export ${title.toLowerCase()} usage as CSV`);
  button.addEventListener('click', () =>
    downloadCsv(`/dashboard/data/usage?format=csv&table=${name}`, `switchyard-usage-${name}.csv`),
  );
  heading.appendChild(button);
  node.appendChild(heading);
  const titles = [
    'name',
    'requests',
    'input tokens',
    'of which cache reads',
    'cache writes',
    'output tokens',
    'estimated cost',
  ];
  const rows = lines.map((line) => {
    const cost = element('td', 'number cost', dollars(line));
    if (line.billing === 'subscription') cost.textContent += ' (would cost on the API)';
    return [
      line.name,
      line.requests,
      line.inputTokens,
      line.cacheReadTokens,
      line.cacheWriteTokens,
      line.outputTokens,
      cost,
    ];
  });
  const grid = table(titles, rows);
  grid.querySelectorAll('tbody tr').forEach((row, index) => {
    row.dataset.name = lines[index].name;
  });
  node.appendChild(grid);
  return node;
}

function render(view) {
  const fragment = document.createDocumentFragment();
  fragment.appendChild(
    element(
      'p',
      'muted',
      `Since ${formatDateTime(view.since)}. Costs are estimates from the @pydantic/genai-prices table ` +
        '(cache reads and writes at their own prices).',
    ),
  );
  for (const [name, title] of tables) fragment.appendChild(section(name, title, view[name]));
  container.replaceChildren(fragment);
}

export const usageView = {
  pollMs: 5000,
  async refresh() {
    render(await fetchData('/dashboard/data/usage'));
  },
};
