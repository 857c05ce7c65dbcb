/** Tokens one (bucket, client, model) used since the server started. */
export interface UsageRow {
  bucket: string;
  provider: string;
  client: string;
  model: string;
  requests: number;
  /** Every prompt token, cache reads included. */
  inputTokens: number;
  /** Of inputTokens, those read from the prompt cache. */
  cacheReadTokens: number;
  /** Of inputTokens, those written to the prompt cache. */
  cacheWriteTokens: number;
  outputTokens: number;
}

/**
 * Token counts per bucket, client and model, from each upstream call that answered: the Usage
 * view groups and prices them. Rows are few (buckets x clients x models), so they stay in memory.
 */
export class UsageLedger {
  private readonly rows = new Map<string, UsageRow>();

  add(
    where: { bucket: string; provider: string; client: string; model: string },
    tokens: { input: number; cacheRead: number; cacheWrite: number; output: number },
  ): void {
    const key = `${where.bucket}\n${where.client}\n${where.model}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { ...where, requests: 0, inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0 };
      this.rows.set(key, row);
    }
    row.requests += 1;
    row.inputTokens += tokens.input;
    row.cacheReadTokens += tokens.cacheRead;
    row.cacheWriteTokens += tokens.cacheWrite;
    row.outputTokens += tokens.output;
  }

  all(): UsageRow[] {
    return [...this.rows.values()].map((row) => ({ ...row }));
  }
}
