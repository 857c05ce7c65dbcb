import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Resolves a host name to every address it stands for (node's own resolver by default; tests give their own). */
export type ResolveHost = (host: string) => Promise<string[]>;

const resolveWithSystem: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** Whether an IP address literal is a loopback address (127.0.0.0/8, ::1, or IPv4-mapped 127.x). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) !== 6) return false;
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped !== null && mapped[1]!.startsWith('127.');
}

/** What binding `host` would expose: only this machine (loopback), or more, with the addresses that say so. */
export type BindReach = { loopback: true } | { loopback: false; why: string };

/**
 * Whether a bind address only accepts connections from this machine. A name counts as loopback
 * only when every address it resolves to is one: `127.0.0.1.example.com` is just a name, and
 * could resolve anywhere. A name that does not resolve is not known to be loopback.
 */
export async function bindReach(host: string, resolve: ResolveHost = resolveWithSystem): Promise<BindReach> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    return isLoopbackAddress(bare) ? { loopback: true } : { loopback: false, why: `${bare} is not a loopback address` };
  }
  let addresses: string[];
  try {
    addresses = await resolve(bare);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return { loopback: false, why: `${bare} could not be resolved (${code}), so it is not known to be loopback` };
  }
  const outside = addresses.filter((address) => !isLoopbackAddress(address));
  if (addresses.length > 0 && outside.length === 0) return { loopback: true };
  return {
    loopback: false,
    why:
      addresses.length === 0
        ? `${bare} resolves to no address`
        : `${bare} resolves to ${outside.join(', ')}, which is not loopback`,
  };
}
