import { z } from 'zod';
import { maximumTimeoutMs } from '../config/settings.js';
import type { FieldIssue } from '../config/yaml-file.js';
import { isValidName } from '../core/names.js';
import { providerNames, resolveProviderName } from '../core/provider-names.js';
import type { LoadBalancerProfile, ModelProfile } from './types.js';

/** The naming rule of DESIGN.md, as a hint. */
export const nameRule = 'use 1-64 of A-Z a-z 0-9 . _ @ + - (no slashes, no "..")';

const bucketName = z
  .string()
  .refine(isValidName, { error: (issue) => `invalid bucket name ${JSON.stringify(issue.input)}` });
const profileName = z
  .string()
  .refine(isValidName, { error: (issue) => `invalid profile name ${JSON.stringify(issue.input)}` });
const policy = z.enum(['failover', 'roundrobin', 'balance']);
const threshold = z.number().gt(0).max(100);
const reserve = z.number().min(0).lt(100);

/** A provider name or alias (`claude`, `chatgpt`), normalised to the provider it names. */
const provider = z.string().transform((value, context) => {
  const resolved = resolveProviderName(value);
  if (resolved) return resolved;
  context.addIssue({ code: 'custom', message: `unknown provider "${value}"` });
  return z.NEVER;
});

/** Duplicates are refused rather than dropped: a repeated name is usually a typo for another one. */
function uniqueNames(what: string) {
  return (values: string[], context: z.RefinementCtx): void => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value))
        context.addIssue({ code: 'custom', message: `${what} "${value}" is listed twice`, path: [index] });
      seen.add(value);
    });
  };
}

const limitsSchema = z
  .object({
    maxConcurrent: z.number().int().positive().exactOptional(),
    requestsPerMinute: z.number().int().positive().exactOptional(),
  })
  .strict();

const timeoutMs = z.number().int().positive().max(maximumTimeoutMs);
const timeoutsSchema = z
  .object({
    requestMs: timeoutMs.exactOptional(),
    firstByteMs: timeoutMs.exactOptional(),
  })
  .strict();

export const modelProfileSchema = z
  .object({
    type: z.literal('model'),
    provider,
    model: z.string().min(1).exactOptional(),
    models: z
      .record(
        z.string().min(1, { error: 'a client model name cannot be empty' }),
        z.string().min(1, { error: 'needs a model name' }),
      )
      .exactOptional(),
    buckets: z.array(bucketName).min(1, { error: 'needs at least one bucket' }).superRefine(uniqueNames('bucket')),
    policy: policy.exactOptional(),
    sticky: z.boolean().exactOptional(),
    threshold: threshold.exactOptional(),
    reserve: reserve.exactOptional(),
    limits: limitsSchema.exactOptional(),
    timeouts: timeoutsSchema.exactOptional(),
  })
  .strict();

export const loadBalancerProfileSchema = z
  .object({
    type: z.literal('loadbalancer'),
    policy,
    profiles: z
      .array(profileName)
      .min(1, { error: 'needs at least one member profile' })
      .superRefine(uniqueNames('profile')),
    sticky: z.boolean().exactOptional(),
    threshold: threshold.exactOptional(),
    reserve: reserve.exactOptional(),
    timeouts: timeoutsSchema.exactOptional(),
  })
  .strict();

// The router is written against the interfaces in types.ts; these fail to compile if the schemas drift from them.
type SameType<Left, Right> = [Left] extends [Right] ? ([Right] extends [Left] ? true : false) : false;
const modelSchemaMatches: SameType<z.output<typeof modelProfileSchema>, ModelProfile> = true;
const loadBalancerSchemaMatches: SameType<z.output<typeof loadBalancerProfileSchema>, LoadBalancerProfile> = true;
void modelSchemaMatches;
void loadBalancerSchemaMatches;

export const typeHint = 'use `type: model` or `type: loadbalancer`';

/** What to tell a user about a profile field that failed validation (unknown keys get the allowed keys instead). */
export function profileHint({ path }: FieldIssue): string | undefined {
  switch (path[0]) {
    case 'type':
      return typeHint;
    case 'provider':
      return `use one of ${providerNames.join(', ')} (or claude, chatgpt)`;
    case 'buckets':
      return path.length > 1
        ? nameRule
        : 'list bucket names in priority order, e.g. `buckets: [work1@company.com, personal@gmail.com]`';
    case 'profiles':
      return path.length > 1
        ? nameRule
        : 'list other profiles by name, e.g. `profiles: [anthropic-primary, openai-backup]`';
    case 'policy':
      return 'use `policy: failover`, `policy: roundrobin` or `policy: balance`';
    case 'threshold':
      return (
        'a percent above 0 up to 100: the used share of a window past which `balance` moves a session, ' +
        'e.g. `threshold: 85`'
      );
    case 'reserve':
      return 'a percent from 0 to below 100 of every window that `balance` leaves unused, e.g. `reserve: 10`';
    case 'limits':
      return 'limits take maxConcurrent and requestsPerMinute, both whole numbers above 0';
    case 'timeouts':
      return (
        `timeouts take requestMs (the whole request) and firstByteMs (until the ` +
        `answer's first byte), whole milliseconds from 1 to ${maximumTimeoutMs}, ` +
        `e.g. \`timeouts: {requestMs: 600000, firstByteMs: 60000}\``
      );
    case 'sticky':
      return 'use `sticky: true` or `sticky: false`';
    case 'models':
      return (
        "map the client's model names to this provider's, e.g. `models: { " +
        "claude-haiku-4-5: gpt-4.1-mini, '*': gpt-4.1 }` ('*' matches any other " +
        'name)'
      );
    case 'model':
      return "a model name such as claude-sonnet-4-6, or leave the line out to keep the client's model";
    default:
      return undefined;
  }
}
