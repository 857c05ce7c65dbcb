// Profiles from the page: create a model profile, load one (make it active) and set the default,
// as `switchyard profile save model | load | set-default` do, with their checks and messages.
import { element, fetchData } from './common.js';
import { adminForm, choices, status } from './forms.js';

/** The forms, and `refresh()` for the view's polls; `changed()` redraws the whole view after an action. */
export function profileForms(changed) {
  const choice = element('select');
  const summary = element('p', 'muted');
  summary.id = 'profile-summary';
  let drawn = '';
  let action = 'load';
  const pick = adminForm({
    id: 'profile-pick',
    title: 'Load a profile or make it the default',
    fields: [['profile-choice', 'Profile', choice]],
    submit: 'Load (make active)',
    request: () =>
      choice.value === ''
        ? undefined
        : action === 'load'
          ? { method: 'PUT', path: '/profiles/active', body: { profile: choice.value } }
          : { method: 'PUT', path: '/profiles/default', body: { profile: choice.value } },
    async done(answer) {
      status.textContent = answer.message;
      drawn = '';
      await changed();
    },
  });
  const setDefault = element('button', null, 'Set as default');
  setDefault.type = 'submit';
  setDefault.id = 'profile-set-default';
  // Which button sent the form decides the route; Enter in the select loads, as the first button.
  pick.addEventListener('click', (event) => {
    if (event.target instanceof HTMLButtonElement) action = event.target === setDefault ? 'default' : 'load';
  });
  pick.querySelector('button[type="submit"]').after(setDefault);
  pick.appendChild(summary);

  const [name, provider, model, buckets] = [
    element('input'),
    choices(['anthropic', 'openai', 'codex', 'gemini', 'qwen']),
    element('input'),
    element('input'),
  ];
  model.placeholder = "empty: keep the client's model";
  buckets.placeholder = 'first = primary, e.g. main, spare (none: default)';
  const create = adminForm({
    id: 'profile-create',
    title: 'Create a model profile',
    fields: [
      ['create-name', 'Name', name],
      ['create-provider', 'Provider', provider],
      ['create-model', 'Model', model],
      ['create-buckets', 'Buckets (comma separated)', buckets],
    ],
    submit: 'Create profile',
    request: () => ({
      method: 'POST',
      path: '/profiles',
      body: {
        name: name.value.trim(),
        provider: provider.value,
        model: model.value.trim(),
        buckets: buckets.value.split(/[\s,]+/).filter((bucket) => bucket !== ''),
      },
    }),
    async done(answer) {
      status.textContent = answer.message;
      for (const input of [name, model, buckets]) input.value = '';
      drawn = '';
      await changed();
    },
  });

  const node = element('div');
  node.append(pick, create);
  return {
    node,
    async refresh() {
      const view = await fetchData('/profiles');
      const signature = JSON.stringify(view);
      if (signature === drawn) return;
      drawn = signature;
      const chosen = choice.value;
      choice.replaceChildren(
        ...view.profiles.map((profile) => {
          const marks = [
            profile.name === view.active ? 'active' : null,
            profile.name === view.default ? 'default' : null,
            profile.source === 'example' ? 'example' : null,
            profile.error === null ? null : 'invalid',
          ].filter(Boolean);
          const option = element('option', null, marks.length ? `${profile.name} (${marks.join(', ')})` : profile.name);
          option.value = profile.name;
          return option;
        }),
      );
      if (view.profiles.some((profile) => profile.name === chosen)) choice.value = chosen;
      else if (view.active) choice.value = view.active;
      summary.textContent = `Active: ${view.active ?? 'none'}; default: ${view.default ?? 'none'}.`;
    },
  };
}
