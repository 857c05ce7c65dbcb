import { z } from 'zod';
import { clientsSettingsSchema } from './client-settings.js';

const oauthOverrideSchema = z
  .object({
    authorizeUrl: z.string().url(),
    tokenUrl: z.string().url(),
    deviceUrl: z.string().url(),
    clientId: z.string().min(1),
    scopes: z.array(z.string()),
  })
  .partial()
  .strict();

const providerOverrideSchema = z
  .object({
    baseUrl: z.string().url(),
    oauthBaseUrl: z.string().url(),
    /** `auth <provider> enable|disable`: whether OAuth buckets of this provider are used. */
    oauthEnabled: z.boolean(),
  })
  .partial()
  .extend(oauthOverrideSchema.shape)
  .strict();

/** A host name or address, with an optional port: no scheme, path or spaces. */
const hostNamePattern = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?$/;

/** `scheme://host[:port]` and nothing else, as a browser sends it in `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.toLowerCase().replace(/\/$/, '')
    );
  } catch {
    return false;
  }
}

/** Timeouts above a day are mistakes (and overflow Node's timers past 24.8 days). */
export const maximumTimeoutMs = 86_400_000;

/** Routing knobs; every default is what a user gets without writing anything. */
export const routingSettingsSchema = z
  .object({
    /** Cooldown when a 429/402 says nothing about its reset (seconds). */
    defaultCooldownSeconds: z.number().positive().default(60),
    /** Retries on the same bucket for 5xx, 529 and network errors before switching. */
    serverErrorRetries: z.number().int().min(0).max(10).default(2),
    /** First backoff delay for those retries (milliseconds); doubles each time. */
    retryBackoffMs: z.number().min(0).default(250),
    /**
     * 5xx, network failures and first-byte timeouts in a row, counted across requests, that put a
     * bucket to rest (no calls, then one probe); 0: never rest.
     */
    restAfterFailures: z.number().int().min(0).max(1000).default(5),
    /** The first rest (milliseconds); each failed probe doubles it. */
    restMs: z.number().int().positive().default(5_000),
    /** The longest rest (milliseconds). */
    restMaxMs: z.number().int().positive().default(120_000),
    /** Refresh OAuth tokens this many seconds before they expire. */
    refreshAheadSeconds: z.number().min(0).default(300),
    /** Statistics are written to disk at most this often (milliseconds). */
    statsFlushMs: z.number().int().positive().default(5000),
    /**
     * The whole request, failovers and streaming included (milliseconds): no client waits longer.
     * Long enough for the longest streamed answers.
     */
    requestTimeoutMs: z.number().int().positive().max(maximumTimeoutMs).default(1_800_000),
    /**
     * One attempt, until the client's first byte can go out: the answer's headers and whole plain
     * body, or a stream's first real event (milliseconds). Past it the bucket counts as failed and
     * the request moves on. Long enough for a large answer that is not streamed.
     */
    firstByteTimeoutMs: z.number().int().positive().max(maximumTimeoutMs).default(300_000),
    /**
     * The most of a plain (not streamed) upstream answer held in memory (bytes). Past it the
     * attempt fails and the next bucket is tried (502 when none is left). Far above any real answer.
     */
    answerLimitBytes: z
      .number()
      .int()
      .min(1024)
      .default(64 * 1024 * 1024),
    /**
     * The most of an upstream stream held at once (bytes): before its first real event, all of it;
     * after, its one unfinished event. Past it before the first event the attempt fails and the
     * next bucket is tried; after, the stream ends with an error event. Far above any real event.
     */
    eventLimitBytes: z
      .number()
      .int()
      .min(1024)
      .default(8 * 1024 * 1024),
  })
  .strict();

export const settingsSchema = z
  .object({
    defaultProfile: z.string().optional(),
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8790),
        /**
         * Host names (besides localhost and IP addresses) that requests may name in `Host`: the
         * name a load balancer or a teammate uses. Any other name is refused (DNS rebinding).
         */
        allowedHosts: z
          .array(
            z.string().regex(hostNamePattern, { error: 'a host name such as switchyard.internal, no scheme or path' }),
          )
          .optional(),
        /** Origins (`https://app.example.com`) whose web pages may call switchyard, with CORS. */
        allowedOrigins: z
          .array(z.string().refine(isOrigin, { error: 'an origin such as http://localhost:3000, no path' }))
          .optional(),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8790 }),
    providers: z
      .object({
        anthropic: providerOverrideSchema,
        openai: providerOverrideSchema,
        codex: providerOverrideSchema,
        gemini: providerOverrideSchema,
        qwen: providerOverrideSchema,
      })
      .partial()
      .strict()
      .default({}),
    routing: routingSettingsSchema.default(routingSettingsSchema.parse({})),
    /** Cluster mode: shared state in Redis (SWITCHYARD_REDIS_URL and SWITCHYARD_REDIS_PREFIX win over these). */
    state: z
      .object({
        redis: z
          .string()
          .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
          .optional(),
        prefix: z.string().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
    /** Per-client keys (`switchyard client add`); SWITCHYARD_API_KEY keeps working beside them. */
    clients: clientsSettingsSchema,
    /** How much of the request log the dashboard keeps in memory: whichever limit comes first. */
    dashboard: z
      .object({
        requestLogMinutes: z.number().int().positive().max(10_080).default(60),
        requestLogSize: z.number().int().positive().max(100_000).default(5_000),
        /** Keep each logged request's bodies (encrypted with SWITCHYARD_TOKEN_KEY, credentials redacted). */
        captureBodies: z.boolean().default(false),
        /** At most this many bytes of each request body and each response body. */
        captureBodyBytes: z.number().int().positive().max(1_048_576).default(16_384),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type RoutingSettings = z.infer<typeof routingSettingsSchema>;
export type ProviderOverride = z.infer<typeof providerOverrideSchema>;

export const defaultSettings: Settings = settingsSchema.parse({});
