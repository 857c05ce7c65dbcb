// The scene every figure needs: simulator accounts (with their scripted behaviour) and a
// SWITCHYARD_HOME whose API-key buckets and profiles point at them. API-key buckets keep every
// contender's upstream request alike: the simulator checks an `x-api-key` for each of them. One
// OAuth bucket (a subscription login the simulator issued) serves the OAuth throughput figure.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addAccount, setBehavior } from './simulator-control.mjs';

/** One hour: a 429's reset far beyond any run, so a cooling bucket stays cooling throughout. */
export const coolingSeconds = 3_600;

/** A 429 in Anthropic's unified rate-limit style, reset an hour away. */
export const rateLimited = { kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: coolingSeconds };

/** The 999 cooling buckets of the scale figure share one simulator account: any call to one shows there. */
export const coolingAccount = 'scale-cooling';

/**
 * What to create: simulator accounts (name, behaviour), buckets (provider, name, account) and
 * profiles (name -> provider and bucket chain), for `stormRounds` fresh failover storms.
 */
export function benchPlan({ stormRounds, holdOpenMs }) {
  const accounts = [];
  const buckets = [];
  const profiles = {};
  const bucket = (provider, name, behavior) => {
    accounts.push({ name, behavior });
    buckets.push({ provider, name, account: name });
    return name;
  };

  profiles.bench = { provider: 'anthropic', buckets: ['b1', 'b2', 'b3'].map((name) => bucket('anthropic', name)) };
  // A subscription login: its token expires in a day, beyond any run, so nothing refreshes while measured.
  accounts.push({ name: 'oauth1', expiresInSeconds: 86_400 });
  buckets.push({ provider: 'anthropic', name: 'oauth1', account: 'oauth1', oauth: true });
  profiles['bench-oauth'] = { provider: 'anthropic', buckets: ['oauth1'] };
  profiles['bench-chat'] = { provider: 'openai', buckets: [bucket('openai', 'chat1')] };
  profiles['bench-stream'] = {
    provider: 'anthropic',
    buckets: [bucket('anthropic', 'stream1', { kind: 'ok', streamEvents: 1_000 })],
  };
  // The translated-stream figure: one OpenAI bucket streaming 1,000 events to a Chat client
  // (same format) and to an Anthropic Messages client (translated).
  profiles['bench-chat-stream'] = {
    provider: 'openai',
    buckets: [bucket('openai', 'chatstream1', { kind: 'ok', streamEvents: 1_000 })],
  };
  profiles['bench-hold'] = {
    provider: 'anthropic',
    buckets: [bucket('anthropic', 'hold1', { kind: 'ok', holdOpenMs })],
  };
  // f1 starts healthy: the failover figure warms this profile, then makes f1 answer 429.
  profiles['bench-failover'] = {
    provider: 'anthropic',
    buckets: [bucket('anthropic', 'f1'), bucket('anthropic', 'f2')],
  };
  profiles['bench-healthy-pair'] = {
    provider: 'anthropic',
    buckets: [bucket('anthropic', 'h1'), bucket('anthropic', 'h2')],
  };
  // A fresh pair per storm run, so that every run includes the moment bucket 1 starts refusing.
  for (let round = 0; round <= stormRounds; round += 1) {
    profiles[`bench-storm-${round}`] = {
      provider: 'anthropic',
      buckets: [bucket('anthropic', `storm${round}a`, rateLimited), bucket('anthropic', `storm${round}b`)],
    };
  }
  const ready = bucket('anthropic', 's999');
  profiles['bench-one'] = { provider: 'anthropic', buckets: [ready] };
  accounts.push({ name: coolingAccount });
  const cooling = Array.from({ length: 999 }, (_, index) => `s${index}`);
  for (const name of cooling) buckets.push({ provider: 'anthropic', name, account: coolingAccount });
  profiles['bench-scale'] = { provider: 'anthropic', buckets: [...cooling, ready] };
  // The long-chain figure: 9,999 buckets with no login (no token file) ahead of the same ready one.
  const withoutLogin = Array.from({ length: 9_999 }, (_, index) => `l${index}`);
  profiles['bench-long-chain'] = { provider: 'anthropic', buckets: [...withoutLogin, ready] };
  return { accounts, buckets, profiles, cooling: cooling.map((name) => `anthropic/${name}`) };
}

function writePrivate(path, text) {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function privateDirectory(path) {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/**
 * Writes config.yaml, token files, profiles and stats.json (the plan's cooling buckets cooling
 * for an hour from `now`, as a restarted server remembers them); returns the environment the
 * server needs: one variable per account holding its API key.
 */
export function writeBenchHome(home, simulatorUrl, plan, credentialsByAccount, now) {
  privateDirectory(home);
  for (const directory of ['profiles', 'oauth', 'oauth/anthropic', 'oauth/openai'])
    privateDirectory(join(home, directory));
  writePrivate(
    join(home, 'config.yaml'),
    `providers:\n  anthropic:\n    baseUrl: ${simulatorUrl}\n    tokenUrl: ${simulatorUrl}/oauth/token\n` +
      `  openai:\n    baseUrl: ${simulatorUrl}/v1\n`,
  );

  const environment = {};
  const variableOf = (account) => `BENCH_KEY_${account.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  for (const { name } of plan.accounts) environment[variableOf(name)] = credentialsByAccount[name].apiKey;
  for (const bucket of plan.buckets) {
    const account = credentialsByAccount[bucket.account];
    writePrivate(
      join(home, 'oauth', bucket.provider, `${bucket.name}.json`),
      JSON.stringify(
        bucket.oauth
          ? { access_token: account.accessToken, refresh_token: account.refreshToken, expires_at: account.expiresAt }
          : { type: 'api_key', env: variableOf(bucket.account) },
      ),
    );
  }
  for (const [name, profile] of Object.entries(plan.profiles)) {
    writePrivate(
      join(home, 'profiles', `${name}.yaml`),
      `type: model\nprovider: ${profile.provider}\nbuckets: [${profile.buckets.join(', ')}]\n`,
    );
  }
  const states = Object.fromEntries(
    plan.cooling.map((key) => [key, { state: 'cooling', availableAt: now + coolingSeconds * 1_000 }]),
  );
  writePrivate(join(home, 'stats.json'), JSON.stringify({ version: 1, buckets: states }));
  return environment;
}

/**
 * The whole scene on a running simulator: the plan's accounts created (with their expiry and
 * scripted behaviour) and `home` written for them. Resolves with the plan, each account's
 * credentials and the environment `switchyard serve` needs.
 */
export async function prepareBenchHome(home, simulatorUrl, planOptions) {
  const plan = benchPlan(planOptions);
  const credentials = {};
  for (const account of plan.accounts) {
    const options = account.expiresInSeconds === undefined ? {} : { expiresInSeconds: account.expiresInSeconds };
    credentials[account.name] = await addAccount(simulatorUrl, account.name, options);
    if (account.behavior) await setBehavior(simulatorUrl, account.name, account.behavior);
  }
  const environment = writeBenchHome(home, simulatorUrl, plan, credentials, Date.now());
  return { plan, credentials, environment };
}
