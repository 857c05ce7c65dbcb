import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The local stand-in for the official image the Dockerfile names (no registry is reachable here):
 * Node.js and npm from the npm registry on Debian bookworm, built by container/build-test-base.sh.
 * The Node major must be the Dockerfile's (checked by the test); its tag names the exact versions,
 * so a machine builds it once and every later run reuses it.
 */
export const testBase = { node: '24.22.3', npm: '11.21.3' } as const;
export const testBaseImage = `localhost/switchyard-test-node:${testBase.node}`;

/**
 * What this sandbox needs of podman (see issue 23): runc instead of crun, cgroupfs, the host's network,
 * and no raised ulimits. Given through CONTAINERS_CONF to the test's own podman calls only, so the
 * machine's configuration stays as it is.
 */
const sandboxConfiguration = `[containers]
default_ulimits = []
netns = "host"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
`;

let configurationFile: string | undefined;

async function podmanEnvironment(): Promise<NodeJS.ProcessEnv> {
  if (configurationFile === undefined) {
    const file = join(tmpdir(), `switchyard-containers-${process.pid}.conf`);
    await writeFile(file, sandboxConfiguration);
    configurationFile = file;
  }
  return { ...process.env, CONTAINERS_CONF: configurationFile };
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], environment: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: environment, cwd: repositoryRoot, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
  });
}

/** Runs `podman ARGS`; throws with podman's own output unless `allowFailure`. */
export async function podman(
  args: string[],
  options: { allowFailure?: boolean; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const result = await run('podman', args, await podmanEnvironment(), options.timeoutMs ?? 120_000);
  if (result.code !== 0 && !options.allowFailure) {
    throw new Error(`podman ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`);
  }
  return result;
}

/** Installs podman, runc and mmdebstrap where missing, then builds the local base image once per machine. */
export async function prepareContainerHost(): Promise<void> {
  const prepared = await run(join(repositoryRoot, 'container/prepare-test-host.sh'), [], process.env, 600_000);
  if (prepared.code !== 0) throw new Error(`container/prepare-test-host.sh failed:\n${prepared.stderr}`);
  if ((await podman(['image', 'exists', testBaseImage], { allowFailure: true })).code === 0) return;
  const built = await run(
    join(repositoryRoot, 'container/build-test-base.sh'),
    [testBaseImage, testBase.node, testBase.npm],
    await podmanEnvironment(),
    900_000,
  );
  if (built.code !== 0) throw new Error(`container/build-test-base.sh failed:\n${built.stderr}${built.stdout}`);
}

/** The Node.js major of the Dockerfile's official base image (`FROM node:24-…`). */
export async function dockerfileNodeMajor(): Promise<string> {
  const dockerfile = await readFile(join(repositoryRoot, 'Dockerfile'), 'utf8');
  const match = /^FROM node:(\d+)[^\s]* AS node-base$/m.exec(dockerfile);
  if (!match) throw new Error('Dockerfile has no "FROM node:N… AS node-base" line');
  return match[1]!;
}

/**
 * Builds the repository's Dockerfile as README says, the first FROM replaced by the local base
 * (`--from`). The docker format keeps the HEALTHCHECK (OCI images have none). Layers are cached, so
 * a rebuild after a source change reinstalls no dependencies.
 */
export async function buildImage(tag: string): Promise<CommandResult> {
  const built = await podman(['build', '--format', 'docker', '--from', testBaseImage, '--tag', tag, '.'], {
    timeoutMs: 900_000,
  });
  await podman(['image', 'prune', '--force'], { allowFailure: true });
  return built;
}

/** A name no other run uses, for containers and volumes. */
export function uniqueName(kind: string): string {
  return `switchyard-test-${kind}-${randomBytes(4).toString('hex')}`;
}
