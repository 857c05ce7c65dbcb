import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installClientInto } from './support/install-clients.js';

describe('installing the real command-line clients', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchyard-install-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('fails with a message naming the registry and the packages when the npm registry cannot be reached', async () => {
    // Port 9 on loopback refuses at once; no retries, so npm gives up straight away.
    const attempt = installClientInto(join(folder, 'clients'), 'codex', {
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
      npm_config_cache: join(folder, 'npm-cache'),
      npm_config_offline: 'false',
      npm_config_prefer_offline: 'false',
    });
    await expect(attempt).rejects.toThrow(
      /^Could not install the real command-line clients \(@anthropic-ai\/claude-code@2\.1\.112, @openai\/codex@0\.171\.0, @google\/gemini-cli@0\.61\.0\) from the npm registry into .*clients \(npm exited with \d+\)\. The real-clients tests need the npm registry once per clone; check the network or npm's registry setting\./,
    );
  }, 120_000);
});
