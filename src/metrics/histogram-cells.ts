import type { Histogram, Registry } from 'prom-client';

/** One histogram series: counts per upper bound (cumulated when published), sum and count. */
export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  /** Records one value in seconds: a short loop over the bounds and three additions. */
  observe(seconds: number): void {
    const bounds = this.bounds;
    for (let index = 0; index < bounds.length; index += 1) {
      if (seconds <= bounds[index]!) {
        this.counts[index]! += 1;
        break;
      }
    }
    this.sum += seconds;
    this.count += 1;
  }
}

interface PublishedValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A Prometheus histogram over plain cells. prom-client's Histogram hashes the labels and builds
 * a closure on every `observe`; this keeps the observation a few number writes and gives the
 * registry the same series (`_bucket` with `le`, `_sum`, `_count`) when it is scraped.
 */
export class HistogramCells<Label extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series: { labels: Record<Label, string>; cell: HistogramCell }[] = [];

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
  ) {
    this.name = name;
    this.help = help;
  }

  /** Adds this histogram to `registry`, which reads every series at each scrape. */
  publish(registry: Registry): void {
    // The registry only reads name, help, type and get(); this object provides exactly those.
    registry.registerMetric(this as unknown as Histogram<Label>);
  }

  /** A new series; callers cache it. */
  create(labels: Record<Label, string>): HistogramCell {
    const cell = new HistogramCell(this.bounds);
    this.series.push({ labels, cell });
    return cell;
  }

  /** What the registry renders: cumulative buckets, then +Inf, sum and count per series. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: PublishedValue[] }> {
    const values: PublishedValue[] = [];
    for (const { labels, cell } of this.series) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += cell.counts[index]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: cell.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const { cell } of this.series) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}
