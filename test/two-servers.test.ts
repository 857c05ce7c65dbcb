import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { runBinary, startServeProcess } from './support/run-binary.js';

/**
 * Two servers on one SWITCHYARD_HOME, through the real binary: the second would overwrite
 * server.json and delete it when it stopped, hiding the first from `profile load` and `stats`.
 * It refuses, naming the first, unless given a server file of its own.
 */

let harness: Harness | undefined;
const servers: { stop: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const server of servers.splice(0).reverse()) await server.stop();
  await harness?.close();
  harness = undefined;
});

async function serve(args: string[], environment: NodeJS.ProcessEnv) {
  const server = await startServeProcess(['--port', '0', '--log-level', 'warn', ...args], environment);
  servers.push(server);
  return server;
}

describe('a second serve on the same home', () => {
  it('refuses with a non-zero exit naming the first (pid, address); the CLI still finds the first', {
    timeout: 30_000,
  }, async () => {
    harness = await createHarness();
    await harness.writeProfile('one', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const first = await serve([], environment);
    const recorded = JSON.parse(await readFile(harness.paths.server, 'utf8')) as { pid: number; url: string };
    expect(recorded).toMatchObject({ pid: first.child.pid, url: first.url });

    const second = await runBinary(['serve', '--port', '0'], environment);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(
      `switchyard: Another switchyard server already runs from this home (pid ${first.child.pid}, ${first.url}, ` +
        `recorded in ${harness.paths.server}). Stop it first, or give this server its own file: switchyard ` +
        `serve --server-file PATH (or SWITCHYARD_SERVER_FILE=PATH); the CLI reaches that server with ` +
        `SWITCHYARD_SERVER_FILE=PATH.\n`,
    );

    // The refused server left the first's record alone: the CLI still reaches it.
    expect(JSON.parse(await readFile(harness.paths.server, 'utf8'))).toEqual(recorded);
    const loaded = await runBinary(['profile', 'load', 'one'], environment);
    expect(loaded).toMatchObject({ code: 0 });
    expect(loaded.stdout).toBe(`Loaded one on the running server at ${first.url}: anthropic/a\n`);
    const clients = await runBinary(['stats', 'clients', '--json'], environment);
    expect(clients.code).toBe(0);
    expect(clients.stderr).toBe('');
  });

  it('runs beside the first with --server-file or SWITCHYARD_SERVER_FILE, and stopping it keeps the first found', {
    timeout: 30_000,
  }, async () => {
    harness = await createHarness();
    await harness.writeProfile('one', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    await harness.writeProfile('two', 'type: model\nprovider: anthropic\nbuckets: [b]\n');
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const first = await serve([], environment);
    const secondFile = join(harness.home, 'second-server.json');
    const second = await serve(['--server-file', secondFile], environment);
    expect(JSON.parse(await readFile(secondFile, 'utf8'))).toMatchObject({ pid: second.child.pid, url: second.url });

    // The CLI picks its server by SWITCHYARD_SERVER_FILE, the first by default.
    const toSecond = await runBinary(['profile', 'load', 'two'], {
      ...environment,
      SWITCHYARD_SERVER_FILE: secondFile,
    });
    expect(toSecond.stdout).toBe(`Loaded two on the running server at ${second.url}: anthropic/b\n`);
    const toFirst = await runBinary(['profile', 'load', 'one'], environment);
    expect(toFirst.stdout).toBe(`Loaded one on the running server at ${first.url}: anthropic/a\n`);

    // A third, started with the variable, is refused beside the second, naming it.
    const third = await runBinary(['serve', '--port', '0'], { ...environment, SWITCHYARD_SERVER_FILE: secondFile });
    expect(third.code).toBe(1);
    expect(third.stderr).toContain(`(pid ${second.child.pid}, ${second.url}, recorded in ${secondFile})`);

    await second.stop();
    servers.splice(servers.indexOf(second), 1);
    const after = await runBinary(['profile', 'load', 'one'], environment);
    expect(after.stdout).toBe(`Loaded one on the running server at ${first.url}: anthropic/a\n`);
    expect(JSON.parse(await readFile(harness.paths.server, 'utf8'))).toMatchObject({ pid: first.child.pid });
  });
});
