import { z } from 'zod';
import { isValidName } from '../core/names.js';
import { providerNames, resolveProviderName } from '../providers/names.js';
import type { ModelProfile, LoadBalancerProfile } from './types.js';

const nameRule = 'use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..")';

const bucketName = z.string().refine(isValidName, { error: (issue) => `invalid bucket name ${JSON.stringify(issue.input)}` });
const profileName = z.string().refine(isValidName, { error: (issue) => `invalid profile name ${JSON.stringify(issue.input)}` });
const policy = z.enum(['failover', 'roundrobin']);

const provider = z.string().transform((value, context) => {
  const resolved = resolveProviderName(value);
  if (!resolved) {
    context.addIssue({ code: 'custom', message: `unknown provider "${value}"` });
    return z.NEVER;
  }
  return resolved;
});

function noDuplicates(values: string[], context: z.RefinementCtx, what: string): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) context.addIssue({ code: 'custom', message: `${what} "${value}" is listed twice`, path: [index] });
    seen.add(value);
  });
}

export const modelProfileSchema = z
  .object({
    type: z.literal('model'),
    provider,
    model: z.string().min(1).optional(),
    buckets: z.array(bucketName).min(1, { error: 'needs at least one bucket' }).superRefine((values, context) => noDuplicates(values, context, 'bucket')),
    policy: policy.optional(),
    sticky: z.boolean().optional(),
    limits: z
      .object({ maxConcurrent: z.number().int().positive().optional(), requestsPerMinute: z.number().int().positive().optional() })
      .strict()
      .optional(),
  })
  .strict() as z.ZodType<ModelProfile>;

export const loadBalancerProfileSchema = z
  .object({
    type: z.literal('loadbalancer'),
    policy,
    profiles: z.array(profileName).min(1, { error: 'needs at least one member profile' }).superRefine((values, context) => noDuplicates(values, context, 'profile')),
    sticky: z.boolean().optional(),
  })
  .strict() as z.ZodType<LoadBalancerProfile>;

const modelKeys = ['type', 'provider', 'model', 'buckets', 'policy', 'sticky', 'limits'];
const loadBalancerKeys = ['type', 'policy', 'profiles', 'sticky'];

/** What to tell a user about a field that failed validation. */
export function profileHint(type: 'model' | 'loadbalancer' | undefined, field: string): string | undefined {
  const top = field.split(/[.[]/)[0];
  if (top === 'type') return 'use `type: model` or `type: loadbalancer`';
  if (top === 'provider') return `use one of ${providerNames.join(', ')} (or claude, chatgpt)`;
  if (top === 'buckets') return `bucket names ${nameRule}`;
  if (top === 'profiles') return `list other profiles by name; names ${nameRule}`;
  if (top === 'policy') return 'use failover or roundrobin';
  if (top === 'limits') return 'limits take maxConcurrent and requestsPerMinute, both positive whole numbers';
  if (top === 'sticky') return 'use true or false';
  if (top === 'model') return 'a model name such as claude-sonnet-4-5, or leave it out to keep the client\'s';
  return `allowed keys: ${(type === 'loadbalancer' ? loadBalancerKeys : modelKeys).join(', ')}`;
}
