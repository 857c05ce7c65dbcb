import type { ProviderName } from '../../core/types.js';

/** Every provider the simulator plays, each at its root: config.yaml's `baseUrl` is the API root for all of them. */
const simulatedProviders: readonly ProviderName[] = ['anthropic', 'openai', 'codex', 'gemini', 'qwen'];

/** The `providers:` section of config.yaml that sends every provider, logins included, to the simulator at `url`. */
export function simulatorProvidersYaml(url: string, providers: readonly ProviderName[] = simulatedProviders): string {
  let text = 'providers:\n';
  for (const provider of providers) text += `  ${provider}:\n    baseUrl: ${url}\n    tokenUrl: ${url}/oauth/token\n`;
  return text;
}

/** A shell-quoted JSON body for `curl -d '...'` (JSON holds no single quote here, but one would be escaped). */
function quoted(body: unknown): string {
  return `'${JSON.stringify(body).replaceAll("'", "'\\''")}'`;
}

/** `curl` lines that drive the simulator's control API for `account` (see docs/simulator.md). */
export function controlExamples(url: string, account: string): string[] {
  const json = "-H 'content-type: application/json'";
  const rateLimit = { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 30 };
  return [
    `curl -s ${url}/__sim/script ${json} -d ${quoted({ account, steps: [rateLimit] })}` +
      '   # its next answer is a 429 that resets in 30 s',
    `curl -s ${url}/__sim/behavior ${json} -d ${quoted({ account, step: { kind: 'server-error', status: 529 } })}` +
      '   # every answer a 529 until the behavior is cleared with "step": null',
    `curl -s ${url}/__sim/counts   # what each account was sent`,
  ];
}

/** A plain Anthropic Messages request to `url` as curl, with the headers switchyard returns shown. */
export function messageExample(url: string): string {
  const body = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hello!' }] };
  return (
    `curl -s -i ${url}/v1/messages -H 'content-type: application/json' ` +
    `-H 'anthropic-version: 2023-06-01' -d ${quoted(body)}`
  );
}
