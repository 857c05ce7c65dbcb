// What the Buckets view's forms share: labelled fields, one admin action per form, the server's own
// message on a refusal, and one status line that says what was done.
import { element, sendAdmin } from './common.js';

/** The line that says what an action did (announced politely to screen readers). */
export const status = element('p');
status.id = 'bucket-actions-status';
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');

/** A field with its label: `<label for=id>` and the input, in one row. */
export function field(id, labelText, input) {
  const row = element('div', 'field');
  const label = element('label', null, labelText);
  label.htmlFor = id;
  input.id = id;
  if (input.tagName === 'INPUT') input.autocomplete = 'off';
  row.append(label, input);
  return row;
}

/** A select of `names` (or `[value, text]` pairs). */
export function choices(names) {
  const select = element('select');
  for (const name of names) {
    const [value, text] = Array.isArray(name) ? name : [name, name];
    const option = element('option', null, text);
    option.value = value;
    select.appendChild(option);
  }
  return select;
}

/** A button of `type` with its text, and an accessible name of its own when `label` is given. */
export function button(text, label, type = 'button') {
  const node = element('button', null, text);
  node.type = type;
  if (label) node.setAttribute('aria-label', label);
  return node;
}

/**
 * A form that sends one admin action: a titled form (`#id`, `#id-title`), its labelled fields
 * (`[id, label, input]`), a submit button and a problem line (`#id-error`, role=alert) that shows
 * the server's own words when it refuses. `request()` gives `{method, path, body}` (or nothing to
 * send); `done(answer)` runs once the server accepted.
 */
export function adminForm({ id, title, fields, submit, request, done }) {
  const form = element('form');
  form.id = id;
  const heading = element('h3', null, title);
  heading.id = `${id}-title`;
  form.setAttribute('aria-labelledby', heading.id);
  const problem = element('p', 'problem');
  problem.id = `${id}-error`;
  problem.setAttribute('role', 'alert');
  form.append(heading, ...fields.map(([fieldId, text, input]) => field(fieldId, text, input)));
  form.append(button(submit, null, 'submit'), problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.textContent = '';
    const call = request();
    if (!call) return;
    const result = await sendAdmin(call.method, call.path, call.body);
    if (!result.ok) {
      problem.textContent = result.message;
      return;
    }
    await done(result.answer);
  });
  return form;
}
