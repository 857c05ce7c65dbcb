// Logs a bucket in from the page, as `switchyard auth PROVIDER login BUCKET` does in a terminal:
// the server runs the provider's flow; the page opens its URL, shows the device code, or takes the
// `code#state` the provider's page shows and sends it back.
import { element, fetchData, sendAdmin } from './common.js';
import { adminForm, button, choices, status } from './forms.js';

const ways = [
  ['browser', "Browser (the provider's own way)"],
  ['device', 'Device code (codex)'],
  ['loopback', 'Local callback (anthropic)'],
];

export function loginForm() {
  const provider = choices(['anthropic', 'codex', 'gemini', 'qwen']);
  const bucket = element('input');
  bucket.placeholder = 'e.g. work';
  const way = choices(ways);
  const progress = element('div');
  progress.id = 'login-progress';
  progress.hidden = true;
  const form = adminForm({
    id: 'login',
    title: 'Log a bucket in',
    fields: [
      ['login-provider', 'Provider', provider],
      ['login-bucket', 'Bucket', bucket],
      ['login-way', 'How', way],
    ],
    submit: 'Start login',
    request: () => ({
      method: 'POST',
      path: `/auth/${encodeURIComponent(provider.value)}/login`,
      body: { bucket: bucket.value.trim(), device: way.value === 'device', loopback: way.value === 'loopback' },
    }),
    done: (login) => follow(progress, login),
  });
  const node = element('div');
  node.append(form, progress);
  return node;
}

/** Shows a login under way: its lines, the URL to open, a field for the code or the wait for approval. */
function follow(progress, login) {
  const path = `/auth/${encodeURIComponent(login.provider)}/login/${encodeURIComponent(login.id)}`;
  const lines = element('pre', 'login-lines', login.lines.join('\n\n'));
  lines.id = 'login-lines';
  const link = element('a', null, `Open the ${login.provider} login page`);
  link.id = 'login-url';
  link.href = login.url;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  const cancel = button('Cancel login', `Cancel the login of ${login.provider}/${login.bucket}`);
  let finished = false;
  const finish = (text) => {
    finished = true;
    status.textContent = text;
    progress.hidden = true;
    progress.replaceChildren();
  };
  cancel.addEventListener('click', async () => {
    const result = await sendAdmin('DELETE', path);
    finish(result.ok ? `Login of ${login.provider}/${login.bucket} cancelled; nothing was stored.` : result.message);
  });
  progress.replaceChildren(lines, link);
  if (login.awaitsCode) {
    const code = element('input');
    code.placeholder = 'code#state';
    const paste = adminForm({
      id: 'login-paste',
      title: 'Paste the code the login page shows',
      fields: [['login-code', 'Code from the page', code]],
      submit: 'Finish login',
      request: () => ({ method: 'POST', path: `${path}/code`, body: { code: code.value.trim() } }),
      done: (answer) => finish(answer.message),
    });
    progress.appendChild(paste);
  } else {
    // The flow's own words, as the CLI's spinner shows them: the callback it listens on, the code.
    const waiting = element('p', 'muted');
    waiting.id = 'login-waiting';
    const say = (text) => {
      waiting.textContent = `${text ?? 'Waiting for the provider to approve'}\u2026`;
    };
    say(login.waiting);
    progress.appendChild(waiting);
    const poll = async () => {
      if (finished) return;
      const now = await fetchData(path).catch(() => ({ state: 'waiting', waiting: login.waiting }));
      if (now.state !== 'waiting') return finish(now.message);
      say(now.waiting);
      setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
  }
  progress.appendChild(cancel);
  progress.hidden = false;
  status.textContent = `Login of ${login.provider}/${login.bucket} started: open the page below.`;
  link.focus();
}
