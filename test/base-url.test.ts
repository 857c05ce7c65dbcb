import { afterEach, describe, expect, it } from 'vitest';
import { tokenFilePath } from '../src/config/paths.js';
import { writePrivateFile, writePrivateJson } from '../src/config/secure-files.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';
import { startServeProcess } from './support/run-binary.js';

/**
 * `providers.<name>.baseUrl` is the API root for every provider (switchyard adds the documented
 * paths), older configs with the SDK-style ending still work, and a wrong one gets a 404 that names
 * the setting to fix, through the real binary.
 */

let harness: Harness | undefined;
const servers: { stop: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await harness?.close();
  harness = undefined;
});

const chat = rawRequestOf('openai-chat', 'gpt-4.1');
const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

/** A home whose openai and anthropic point at the simulator through the given base URLs, serving `pool`. */
async function serveWith(openaiBaseUrl: (simulator: string) => string) {
  harness = await createHarness();
  const account = harness.simulator.addAccount('team');
  await writePrivateJson(tokenFilePath(harness.paths, 'openai', 'team'), { type: 'api_key', env: 'TEAM_OPENAI_KEY' });
  const simulator = harness.simulator.url;
  await writePrivateFile(
    harness.paths.config,
    `providers:\n  openai:\n    baseUrl: ${openaiBaseUrl(simulator)}\n  anthropic:\n    baseUrl: ${simulator}\n`,
  );
  await harness.writeProfile('pool', 'type: model\nprovider: openai\nbuckets: [team]\n');
  const server = await startServeProcess(['--port', '0', '--profile', 'pool', '--log-level', 'warn'], {
    SWITCHYARD_HOME: harness.home,
    HOME: harness.home,
    TEAM_OPENAI_KEY: account.apiKey,
  });
  servers.push(server);
  return server;
}

describe('providers.<name>.baseUrl', () => {
  it('is the API root: openai at the bare address of the server', { timeout: 30_000 }, async () => {
    const server = await serveWith((simulator) => simulator);
    const answer = await postRaw(server.url, chat.path, JSON.stringify(chat.body));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-bucket')).toBe('openai/team');
  });

  it('still takes the older form ending in /v1 for openai', { timeout: 30_000 }, async () => {
    const server = await serveWith((simulator) => `${simulator}/v1/`);
    const answer = await postRaw(server.url, chat.path, JSON.stringify(chat.body));
    expect(answer.status).toBe(200);
  });

  it("answers a wrong one with a 404 naming the setting, in the caller's format, not the bare upstream 404", {
    timeout: 30_000,
  }, async () => {
    const server = await serveWith((simulator) => `${simulator}/openai-api`);
    const simulator = harness!.simulator.url;
    for (const [format, request] of [
      ['openai-chat', chat],
      ['anthropic-messages', messages],
    ] as const) {
      const answer = await postRaw(server.url, request.path, JSON.stringify(request.body));
      expect(answer.status).toBe(404);
      expect(answer.headers.get('x-switchyard-bucket')).toBe('openai/team');
      expect((answer.body as { error: { code?: string } }).error.code).toBe('upstream_path_not_found');
      expect(errorOf(format, answer.body).message).toBe(
        `openai answered 404 with "The simulator has no route POST /openai-api/v1/chat/completions" for ` +
          `${simulator}/openai-api/v1/chat/completions: the path does not exist there. Check ` +
          `providers.openai.baseUrl in config.yaml (now ${simulator}/openai-api): it is the API root, the ` +
          `address before the provider's documented paths, and switchyard adds the path itself.`,
      );
    }
  });
});
