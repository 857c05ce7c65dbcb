import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBinary } from './support/run-binary.js';

let home: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-profile-delete-'));
  environment = { SWITCHYARD_HOME: home, HOME: home };
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('deleting a profile that load balancers use', () => {
  it('refuses without --force, naming the load balancers, and keeps the file', async () => {
    await runBinary(['profile', 'save', 'model', 'mine', 'w1', '--provider', 'anthropic'], environment);
    await runBinary(['profile', 'save', 'loadbalancer', 'both', 'roundrobin', 'mine', 'openai-backup'], environment);
    await runBinary(['profile', 'save', 'loadbalancer', 'spare', 'failover', 'mine'], environment);
    const refused = await runBinary(['profile', 'delete', 'mine'], environment);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'switchyard: "mine" is used by the load balancers both, spare, which would fail to load without it. ' +
        'Save them without "mine" first (switchyard profile save loadbalancer NAME POLICY PROFILE...), ' +
        'or delete anyway with --force.\n',
    });
    await access(join(home, 'profiles', 'mine.yaml'));
    expect((await runBinary(['profile', 'show', 'both'], environment)).code).toBe(0);
  });

  it('deletes with --force, warns, and profile list marks the broken load balancer INVALID (and in --json)', async () => {
    await runBinary(['profile', 'save', 'model', 'mine', 'w1', '--provider', 'anthropic'], environment);
    await runBinary(['profile', 'save', 'loadbalancer', 'both', 'roundrobin', 'mine', 'openai-backup'], environment);
    expect((await runBinary(['profile', 'set-default', 'both'], environment)).code).toBe(0);
    const forced = await runBinary(['profile', 'delete', 'mine', '--force'], environment);
    expect(forced).toEqual({
      code: 0,
      stdout: 'Deleted profile mine\n',
      stderr:
        'switchyard: warning: both still lists "mine" and will fail to load until it is saved again or ' +
        'removed from it.\n',
    });
    const listed = await runBinary(['profile', 'list'], environment);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('  both [default]  INVALID: it lists "mine", which does not exist\n');
    expect(listed.stdout).toMatch(/ {2}openai-backup \[example\] {2}openai: /);
    const json = JSON.parse((await runBinary(['profile', 'list', '--json'], environment)).stdout) as {
      name: string;
      valid: boolean;
      default: boolean;
      error?: string;
    }[];
    expect(json.find((entry) => entry.name === 'both')).toMatchObject({
      valid: false,
      default: true,
      error: 'it lists "mine", which does not exist',
    });
    expect(json.find((entry) => entry.name === 'openai-backup')).toMatchObject({ valid: true });
    expect(json.find((entry) => entry.name === 'openai-backup')).not.toHaveProperty('error');
  });
});
