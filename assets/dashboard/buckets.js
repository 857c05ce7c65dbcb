// Buckets: every bucket known, in a profile or not, with its state, its login and its buttons
// (pause, resume, reset a rest, log out). Below: reordering and editing a model profile, adding an
// API-key bucket, logging in, and the profiles (create, load, set the default).
import { bucketButtons, keepFocus } from './bucket-controls.js';
import { ago, element, fetchData, sendAdmin, stateLabel, table, tableRow } from './common.js';
import { adminForm, choices, status } from './forms.js';
import { bucketSignature, syncRows } from './keyed-rows.js';
import { loginForm } from './login-form.js';
import { profileForms } from './profile-forms.js';

const list = document.getElementById('bucket-list');
const actions = document.getElementById('bucket-actions');
const order = element('div');
order.id = 'profile-order';
const editForm = profileEditForm();
const profiles = profileForms(() => bucketsView.refresh());
actions.append(status, order, editForm, keyBucketForm(), loginForm(), profiles.node);
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

/**
 * Edits a model profile's provider, model and buckets. The server checks it as `profile save model`
 * does; a refusal shows the CLI's own message here and the file stays as it was.
 */
function profileEditForm() {
  const choice = element('select');
  const [provider, model, buckets] = [element('input'), element('input'), element('input')];
  model.placeholder = "empty: keep the client's model";
  buckets.placeholder = 'first = primary, e.g. main, spare';
  let name = '';
  const form = adminForm({
    id: 'profile-edit',
    title: 'Edit a model profile',
    fields: [
      ['edit-profile', 'Profile', choice],
      ['edit-provider', 'Provider', provider],
      ['edit-model', 'Model', model],
      ['edit-buckets', 'Buckets (comma separated)', buckets],
    ],
    submit: 'Save profile',
    request() {
      name = choice.value;
      if (!name) return undefined;
      const body = {
        provider: provider.value.trim(),
        model: model.value.trim() || null,
        buckets: buckets.value.split(/[\s,]+/).filter((bucket) => bucket !== ''),
      };
      return { method: 'PATCH', path: `/profiles/${encodeURIComponent(name)}`, body };
    },
    async done(answer) {
      saves += 1;
      const asked = saves;
      drawOrders(await fetchData('/dashboard/data'), asked);
      fillEditFields();
      status.textContent = `Saved ${name}: ${answer.saved.provider}, ${answer.saved.buckets.join(' \u2192 ')}.`;
    },
  });
  choice.addEventListener('change', () => fillEditFields());
  return form;
}

/**
 * Adds an API-key bucket by the name of the variable that holds its key where the server runs, as
 * `switchyard auth PROVIDER key BUCKET --env VAR` does: the key itself never passes through the page.
 */
function keyBucketForm() {
  const provider = choices(['anthropic', 'openai', 'codex', 'gemini', 'qwen']);
  const [bucket, variable] = [element('input'), element('input')];
  bucket.placeholder = 'e.g. team';
  variable.placeholder = 'e.g. TEAM_ANTHROPIC_KEY (its name, not the key)';
  return adminForm({
    id: 'key-bucket',
    title: 'Add an API-key bucket',
    fields: [
      ['key-provider', 'Provider', provider],
      ['key-bucket-name', 'Bucket', bucket],
      ['key-variable', 'Environment variable', variable],
    ],
    submit: 'Add bucket',
    request: () => ({
      method: 'POST',
      path: `/auth/${encodeURIComponent(provider.value)}/key`,
      body: { bucket: bucket.value.trim(), env: variable.value.trim() },
    }),
    async done(answer) {
      status.textContent = answer.message;
      bucket.value = '';
      variable.value = '';
      await bucketsView.refresh();
    },
  });
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

const titles = ['bucket', 'state', 'available at', 'requests', 'success', 'tokens', 'last used', 'actions'];

function bucketRow(bucket) {
  const state = element('td', 'state', bucket.paused ? 'paused' : stateLabel(bucket.state));
  if (bucket.reason) state.title = bucket.reason;
  const row = tableRow([
    bucket.key,
    state,
    bucket.availableAt ?? '\u2014',
    bucket.requests,
    bucket.successRate === null ? '\u2014' : `${Math.round(bucket.successRate * 1000) / 10} %`,
    bucket.inputTokens + bucket.outputTokens,
    ago(bucket.lastUsedSecondsAgo),
    bucketButtons(bucket, () => bucketsView.refresh()),
  ]);
  row.dataset.bucket = bucket.key;
  return row;
}

/** Draws only the rows whose bucket changed since the last poll: a pool can hold thousands. */
function render(view, asked) {
  keepFocus(list, () => {
    if (view.buckets.length === 0) {
      list.replaceChildren(element('p', 'muted', 'No bucket yet: add or log one in below.'));
      return;
    }
    let node = document.getElementById('bucket-table');
    if (node === null) {
      node = table(titles, []);
      node.id = 'bucket-table';
      list.replaceChildren(node);
    }
    syncRows(node.tBodies[0], view.buckets, {
      key: (bucket) => bucket.key,
      signature: bucketSignature,
      draw: bucketRow,
    });
  });
  drawOrders(view, asked);
}

export const bucketsView = {
  async refresh() {
    const asked = saves;
    render(await fetchData('/dashboard/data'), asked);
    await profiles.refresh();
  },
};
