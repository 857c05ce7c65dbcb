/**
 * What the user pasted, as callback parameters: `code#state` (Anthropic's code page), or a
 * whole callback URL (`...?code=...&state=...`) for users who copy the address bar.
 */
export function parsePastedCode(text: string): URLSearchParams {
  const trimmed = text.trim();
  if (/^https?:\/\//.test(trimmed)) return new URL(trimmed).searchParams;
  const [code = '', state] = trimmed.split('#');
  const parameters = new URLSearchParams();
  if (code !== '') parameters.set('code', code);
  if (state !== undefined && state !== '') parameters.set('state', state);
  return parameters;
}
