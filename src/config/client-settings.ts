import { z } from 'zod';
import { isValidName } from '../core/names.js';

/** How config.yaml stores a client key: `sha256:` and the hex SHA-256 of the key (clients/key-hash.ts makes it). */
const keyHashPattern = /^sha256:[0-9a-f]{64}$/;

const environmentVariable = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One `clients:` entry of config.yaml: who, how its key is known, what it may use. */
export const clientSettingsSchema = z
  .object({
    name: z.string().refine(isValidName, { error: 'use 1-64 of A-Z a-z 0-9 . _ @ + -' }),
    /** `sha256:<hex>`; make one with `switchyard client hash` (or `client add`). */
    keyHash: z
      .string()
      .regex(keyHashPattern, { error: 'expected sha256: and 64 hex digits; make one with `switchyard client hash`' })
      .optional(),
    /** The variable holding the key in switchyard's environment. */
    keyEnv: z.string().regex(environmentVariable, { error: 'expected an environment variable name' }).optional(),
    /** Profiles the key may use (load balancers include what they route to); omitted: every profile. */
    profiles: z.array(z.string().refine(isValidName, { error: 'invalid profile name' })).optional(),
    /** Optional limit on this client's requests. */
    requestsPerMinute: z.number().int().positive().optional(),
  })
  .strict()
  .refine((client) => (client.keyHash === undefined) !== (client.keyEnv === undefined), {
    error: 'give exactly one of keyHash and keyEnv',
  });

export const clientsSettingsSchema = z
  .array(clientSettingsSchema)
  .default([])
  .refine((clients) => new Set(clients.map((client) => client.name)).size === clients.length, {
    error: 'client names must be unique',
  });

export type ClientSettings = z.infer<typeof clientSettingsSchema>;
