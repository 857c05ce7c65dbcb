// A SWITCHYARD_HOME for the benchmark: API-key buckets on the simulator and one profile per figure.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function writePrivate(path, text) {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Writes config, token files and profiles; returns the environment the server needs (the keys). */
export function writeBenchHome(home, simulatorUrl, accounts, now) {
  for (const directory of [home, join(home, 'profiles'), join(home, 'oauth'), join(home, 'oauth', 'anthropic'), join(home, 'oauth', 'openai')]) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  }
  writePrivate(
    join(home, 'config.yaml'),
    `providers:\n  anthropic:\n    baseUrl: ${simulatorUrl}\n  openai:\n    baseUrl: ${simulatorUrl}/v1\nrouting:\n  statsFlushMs: 5000\n`,
  );
  const environment = {};
  const keyBucket = (provider, bucket) => {
    const variable = `BENCH_KEY_${provider}_${bucket}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    environment[variable] = accounts[bucket].apiKey;
    writePrivate(join(home, 'oauth', provider, `${bucket}.json`), JSON.stringify({ type: 'api_key', env: variable }));
  };
  for (const bucket of ['b1', 'b2', 'b3', 'f1', 'f2', 'stream1', 'hold1', 's999']) keyBucket('anthropic', bucket);
  keyBucket('openai', 'chat1');

  const profile = (name, text) => writePrivate(join(home, 'profiles', `${name}.yaml`), text);
  profile('bench', 'type: model\nprovider: anthropic\nbuckets: [b1, b2, b3]\n');
  profile('bench-chat', 'type: model\nprovider: openai\nbuckets: [chat1]\n');
  profile('bench-stream', 'type: model\nprovider: anthropic\nbuckets: [stream1]\n');
  profile('bench-hold', 'type: model\nprovider: anthropic\nbuckets: [hold1]\n');
  profile('bench-failover', 'type: model\nprovider: anthropic\nbuckets: [f1, f2]\n');
  const scale = Array.from({ length: 1000 }, (_, index) => `s${index}`);
  profile('bench-scale', `type: model\nprovider: anthropic\nbuckets: [${scale.join(', ')}]\n`);
  profile('bench-one', 'type: model\nprovider: anthropic\nbuckets: [s999]\n');

  // 999 of the 1,000 buckets start cooling for an hour, as a restarted server remembers them.
  const buckets = {};
  for (const name of scale.slice(0, 999)) buckets[`anthropic/${name}`] = { state: 'cooling', availableAt: now + 3_600_000 };
  writePrivate(join(home, 'stats.json'), JSON.stringify({ version: 1, buckets }));
  return environment;
}
