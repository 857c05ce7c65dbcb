import { afterEach, describe, expect, it } from 'vitest';
import { writePrivateJson } from '../src/config/secure-files.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const chat = rawRequestOf('openai-chat', 'gpt-4.1');
const keyVariable = 'TEST_KEY_OPENAI_TEAM_KEY';

async function openaiKeyPool(): Promise<Harness> {
  const created = await createHarness();
  await created.addBucket('openai', 'team-key', { apiKey: true });
  await created.writeProfile('pool', 'type: model\nprovider: openai\nbuckets: [team-key]\n');
  return created;
}

describe('an API-key bucket that cannot serve', () => {
  it('says the key variable is unset instead of asking for a login the provider does not have', async () => {
    harness = await openaiKeyPool();
    const { url } = await harness.startRouter({ profile: 'pool', environment: { [keyVariable]: '' } });
    const answer = await postRaw(url, chat.path, JSON.stringify(chat.body));
    // Nothing comes back by itself: 503 with the fix, not the exhausted 429 (see DESIGN.md, no_usable_bucket).
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect((answer.body as { error: { code: string } }).error.code).toBe('no_usable_bucket');
    const { message } = errorOf('openai-chat', answer.body);
    expect(message).toBe(
      'No bucket of profile "pool" can serve, and none comes back by itself: openai/team-key reads its API key from ' +
        `${keyVariable}, which is not set; set ${keyVariable} in switchyard's ` +
        `environment, or run: switchyard auth openai key team-key --env ` +
        `OTHER_VARIABLE.`,
    );
    expect(message).not.toContain('auth openai login');
  });

  it('serves again after a restart once its variable is set, although stats.json still says needs-login', async () => {
    harness = await openaiKeyPool();
    await writePrivateJson(harness.paths.stats, {
      version: 1,
      buckets: { 'openai/team-key': { requests: 0, state: 'needs-login', availableAt: null, reason: 'needs-login' } },
    });
    const { url } = await harness.startRouter({ profile: 'pool' });
    const answer = await postRaw(url, chat.path, JSON.stringify(chat.body));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-switchyard-bucket')).toBe('openai/team-key');
  });
});
