import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from '../support/podman.js';

/**
 * compose.yaml cannot be run here (no image registry for Redis, no compose engine): what it must
 * say is checked instead, so that it stays the two-instance cluster README describes.
 */
interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}

/** Compose's interpolation of a variable the user must write in .env, failing with a message otherwise. */
const fromDotEnv = (name: string) => `\${${name}:?write ${name} in .env}`;

describe('compose.yaml', () => {
  it('runs two instances of the Dockerfile on one Redis, with their own volumes and one shared key', async () => {
    const compose = parse(await readFile(join(repositoryRoot, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, Service>;
    };
    const instances = ['switchyard-1', 'switchyard-2'].map((name) => compose.services[name]!);
    expect(compose.services['switchyard-1']?.build).toBe('.');
    expect(new Set(instances.map((service) => service.image))).toEqual(new Set(['switchyard:local']));
    for (const service of instances) {
      expect(service.environment).toEqual({
        SWITCHYARD_API_KEY: fromDotEnv('SWITCHYARD_API_KEY'),
        SWITCHYARD_TOKEN_KEY: fromDotEnv('SWITCHYARD_TOKEN_KEY'),
        SWITCHYARD_REDIS_URL: 'redis://redis:6379',
      });
      expect(service.ports?.[0]).toMatch(/^"?879[12]:8790"?$/);
    }
    expect(instances.map((service) => service.volumes?.[0])).toEqual([
      'switchyard-1-data:/data',
      'switchyard-2-data:/data',
    ]);
    expect(compose.services.redis?.image).toMatch(/^redis:/);
  });
});
