import type { Registry } from 'prom-client';

/** One time series of a counter: its labels, fixed when created, and a plain number the hot path adds to. */
export interface CounterCell {
  value: number;
}

/**
 * A Prometheus counter whose series are plain objects: the hot path adds to a cached cell (a
 * field write, no label hashing or allocation, which prom-client's own `inc` costs about a
 * microsecond for), and the values are handed to prom-client only when /metrics is scraped.
 * It needs no prom-client to count, so the server starts counting before prom-client is loaded.
 */
export class CounterCells<Label extends string> {
  private readonly cells: { labels: Record<Label, string>; cell: CounterCell }[] = [];

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly Label[],
  ) {}

  /** A new series; callers cache it (creating the same labels twice would publish two series). */
  create(labels: Record<Label, string>): CounterCell {
    const cell: CounterCell = { value: 0 };
    this.cells.push({ labels, cell });
    return cell;
  }

  /** Registers a counter that reads every cell, the ones created later too, at each scrape. */
  publish(promClient: typeof import('prom-client'), registry: Registry): void {
    const cells = this.cells;
    new promClient.Counter<Label>({
      name: this.name,
      help: this.help,
      labelNames: this.labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const entry of cells) this.inc(entry.labels, entry.cell.value);
      },
    });
  }
}

/** Cells looked up by a string key, for events too rare to need a cache of their own. */
export class KeyedCounter<Label extends string> {
  private readonly byKey = new Map<string, CounterCell>();

  constructor(readonly cells: CounterCells<Label>) {}

  add(labels: Record<Label, string>, amount = 1): void {
    this.cell(labels).value += amount;
  }

  /** The cell of these labels, made on first use; callers may keep it. */
  cell(labels: Record<Label, string>): CounterCell {
    const key = Object.values(labels).join('\u0000');
    let cell = this.byKey.get(key);
    if (!cell) {
      cell = this.cells.create(labels);
      this.byKey.set(key, cell);
    }
    return cell;
  }
}
