/** Tokens one (bucket, client, model) used since the usage history began. */
export interface UsageRow {
  bucket: string;
  provider: string;
  client: string;
  model: string;
  requests: number;
  /** Every prompt token, cache reads and writes included. */
  inputTokens: number;
  /** Of inputTokens, those read from the prompt cache. */
  cacheReadTokens: number;
  /** Of inputTokens, those written to the prompt cache. */
  cacheWriteTokens: number;
  outputTokens: number;
}

/** The file's shape (usage.json, and each instance's snapshot in Redis). */
export interface UsageFile {
  version: 1;
  /** Unix ms when these counts began. */
  since: number;
  rows: UsageRow[];
}

const names = ['bucket', 'provider', 'client', 'model'] as const;
const counts = ['requests', 'inputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'outputTokens'] as const;

/**
 * Token counts per bucket, client and model, from each upstream call that answered: the Usage
 * view groups and prices them. Rows are few (buckets x clients x models), so they stay in memory;
 * the server keeps them across restarts (usage.json, or Redis in cluster mode).
 */
export class UsageLedger {
  private readonly rows: UsageRow[] = [];
  /**
   * bucket -> client -> model -> row. Nested, rather than one map keyed by the three joined: a
   * joined key was a new string to build and hash on every upstream call.
   */
  private readonly index = new Map<string, Map<string, Map<string, UsageRow>>>();
  /** Bumped on every change, so the writer knows when there is something to write. */
  version = 0;

  /** `since`: Unix ms when counting began (an older saved history moves it back). */
  constructor(public since: number) {}

  add(
    where: { bucket: string; provider: string; client: string; model: string },
    tokens: { input: number; cacheRead: number; cacheWrite: number; output: number },
  ): void {
    const row = this.rowOf(where);
    row.requests += 1;
    row.inputTokens += tokens.input;
    row.cacheReadTokens += tokens.cacheRead;
    row.cacheWriteTokens += tokens.cacheWrite;
    row.outputTokens += tokens.output;
    this.version += 1;
  }

  all(): UsageRow[] {
    return this.rows.map((row) => ({ ...row }));
  }

  toFile(): UsageFile {
    return { version: 1, since: this.since, rows: this.all() };
  }

  /** Adds what a file (or another instance's snapshot) kept, skipping anything malformed rather than failing. */
  merge(file: unknown): void {
    if (typeof file !== 'object' || file === null || (file as UsageFile).version !== 1) return;
    const { since, rows } = file as UsageFile;
    if (Number.isFinite(since) && since < this.since) this.since = since;
    if (!Array.isArray(rows)) return;
    for (const saved of rows as unknown[]) {
      if (typeof saved !== 'object' || saved === null) continue;
      const fields = saved as Record<string, unknown>;
      if (!names.every((name) => typeof fields[name] === 'string')) continue;
      if (!counts.every((count) => Number.isSafeInteger(fields[count]) && (fields[count] as number) >= 0)) continue;
      const row = this.rowOf(saved as UsageRow);
      for (const count of counts) row[count] += (saved as UsageRow)[count];
    }
  }

  private rowOf(where: { bucket: string; provider: string; client: string; model: string }): UsageRow {
    let clients = this.index.get(where.bucket);
    if (clients === undefined) {
      clients = new Map();
      this.index.set(where.bucket, clients);
    }
    let models = clients.get(where.client);
    if (models === undefined) {
      models = new Map();
      clients.set(where.client, models);
    }
    let row = models.get(where.model);
    if (row === undefined) {
      row = {
        bucket: where.bucket,
        provider: where.provider,
        client: where.client,
        model: where.model,
        requests: 0,
        inputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
      };
      models.set(where.model, row);
      this.rows.push(row);
    }
    return row;
  }
}
