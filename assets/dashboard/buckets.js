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
const editForm = profileEditForm();
actions.append(order, editForm, keyBucketForm(), status, cliHint);
/** The last pool view drawn: the edit form fills its fields from it. */
let lastProfiles = [];
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
  saves += 1;
  const asked = saves;
  drawOrders(await fetchData('/dashboard/data'), asked);
  fillEditFields();
  // Said once the new order is drawn, so that what the status announces is what the list shows.
  status.textContent = `Saved ${profile}: ${moved.join(' \u2192 ')}.`;
  // Keep the keyboard on the bucket that moved (or on its other button once it reached an end).
  const item = order.querySelector(`[data-profile-order="${profile}"] li:nth-child(${index + step + 1})`);
  const same = item?.querySelector(`button[data-move="${step < 0 ? 'up' : 'down'}"]`);
  (same && !same.disabled ? same : item?.querySelector('button:not([disabled])'))?.focus();
}

function drawOrders(view, asked) {
  if (asked !== saves) return;
  const profiles = reorderable(view);
  const signature = JSON.stringify(
    profiles.map((profile) => [profile.name, profile.chain.map((entry) => [entry.key, entry.model])]),
  );
  if (signature === drawnOrders) return;
  drawnOrders = signature;
  lastProfiles = profiles;
  fillEditChoices(profiles);
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

/** A field with its label: `<label for=id>` and the input, in one row. */
function field(id, labelText, input) {
  const row = element('div', 'field');
  const label = element('label', null, labelText);
  label.htmlFor = id;
  input.id = id;
  row.append(label, input);
  return row;
}

/**
 * Edits a model profile's provider, model and buckets. The server checks it as `profile save model`
 * does; a refusal shows the CLI's own message here and the file stays as it was.
 */
function profileEditForm() {
  const form = element('form');
  form.id = 'profile-edit';
  const title = element('h3', null, 'Edit a model profile');
  title.id = 'profile-edit-title';
  form.setAttribute('aria-labelledby', title.id);
  const choice = element('select');
  const provider = element('input');
  const model = element('input');
  const buckets = element('input');
  provider.autocomplete = 'off';
  model.autocomplete = 'off';
  buckets.autocomplete = 'off';
  model.placeholder = "empty: keep the client's model";
  buckets.placeholder = 'first = primary, e.g. main, spare';
  const save = element('button', null, 'Save profile');
  save.type = 'submit';
  const problem = element('p', 'problem');
  problem.id = 'profile-edit-error';
  problem.setAttribute('role', 'alert');
  form.append(
    title,
    field('edit-profile', 'Profile', choice),
    field('edit-provider', 'Provider', provider),
    field('edit-model', 'Model', model),
    field('edit-buckets', 'Buckets (comma separated)', buckets),
    save,
    problem,
  );
  choice.addEventListener('change', () => fillEditFields());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = choice.value;
    if (!name) return;
    const edit = {
      provider: provider.value.trim(),
      model: model.value.trim() || null,
      buckets: buckets.value.split(/[\s,]+/).filter((bucket) => bucket !== ''),
    };
    problem.textContent = '';
    const result = await sendAdmin('PATCH', `/profiles/${encodeURIComponent(name)}`, edit);
    if (!result.ok) {
      problem.textContent = result.message;
      return;
    }
    saves += 1;
    const asked = saves;
    drawOrders(await fetchData('/dashboard/data'), asked);
    fillEditFields();
    status.textContent = `Saved ${name}: ${result.answer.saved.provider}, ${result.answer.saved.buckets.join(' \u2192 ')}.`;
  });
  return form;
}

/**
 * Adds an API-key bucket by the name of the variable that holds its key where the server runs, as
 * `switchyard auth PROVIDER key BUCKET --env VAR` does: the key itself never passes through the page.
 */
function keyBucketForm() {
  const form = element('form');
  form.id = 'key-bucket';
  const title = element('h3', null, 'Add an API-key bucket');
  title.id = 'key-bucket-title';
  form.setAttribute('aria-labelledby', title.id);
  const provider = element('select');
  provider.replaceChildren(
    ...['anthropic', 'openai', 'codex', 'gemini', 'qwen'].map((name) => element('option', null, name)),
  );
  const bucket = element('input');
  const variable = element('input');
  bucket.autocomplete = 'off';
  variable.autocomplete = 'off';
  bucket.placeholder = 'e.g. team';
  variable.placeholder = 'e.g. TEAM_ANTHROPIC_KEY (its name, not the key)';
  const add = element('button', null, 'Add bucket');
  add.type = 'submit';
  const problem = element('p', 'problem');
  problem.id = 'key-bucket-error';
  problem.setAttribute('role', 'alert');
  form.append(
    title,
    field('key-provider', 'Provider', provider),
    field('key-bucket-name', 'Bucket', bucket),
    field('key-variable', 'Environment variable', variable),
    add,
    problem,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.textContent = '';
    const body = { bucket: bucket.value.trim(), env: variable.value.trim() };
    const result = await sendAdmin('POST', `/auth/${encodeURIComponent(provider.value)}/key`, body);
    if (!result.ok) {
      problem.textContent = result.message;
      return;
    }
    status.textContent = result.answer.message;
    bucket.value = '';
    variable.value = '';
  });
  return form;
}

/** The profiles the form can edit; keeps the one chosen while it still exists. */
function fillEditChoices(profiles) {
  const choice = document.getElementById('edit-profile');
  const chosen = choice.value;
  choice.replaceChildren(...profiles.map((profile) => element('option', null, profile.name)));
  editForm.hidden = profiles.length === 0;
  if (profiles.some((profile) => profile.name === chosen)) choice.value = chosen;
  // Typing in a field is not undone by a poll: the fields are filled on a choice or a save only.
  if (chosen === '' || choice.value !== chosen) fillEditFields();
}

function fillEditFields() {
  const profile = lastProfiles.find((candidate) => candidate.name === document.getElementById('edit-profile').value);
  if (!profile) return;
  document.getElementById('edit-provider').value = profile.chain[0].provider;
  document.getElementById('edit-model').value = profile.chain[0].model ?? '';
  document.getElementById('edit-buckets').value = profile.chain.map((entry) => entry.bucket).join(', ');
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
