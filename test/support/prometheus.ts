import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';

/** A parsed /metrics answer with the look-ups tests need. */
export class ScrapedMetrics {
  readonly families: Map<string, ParsedFamily>;

  constructor(readonly text: string) {
    this.families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
  }

  family(name: string): ParsedFamily {
    const family = this.families.get(name);
    if (!family) throw new Error(`no metric ${name} in:\n${this.text}`);
    return family;
  }

  /** Samples of `name` whose labels include `labels`. */
  samples(name: string, labels: Record<string, string> = {}): ParsedSample[] {
    return this.family(name).metrics.filter((sample) =>
      Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
    );
  }

  /**
   * One series line of the raw text, e.g. `name_count` with `{profile="pool"}`. For labelled
   * histograms, whose series the parser merges into one (it keeps only unlabelled ones apart).
   */
  line(name: string, labels: string): number | undefined {
    const prefix = `${name}${labels} `;
    const found = this.text.split('\n').find((line) => line.startsWith(prefix));
    return found === undefined ? undefined : Number(found.slice(prefix.length));
  }

  /** The sum of the matching samples' values (0 when none match). */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((total, sample) => total + Number(sample.value), 0);
  }
}

/** GETs /metrics (with `key` as Bearer when given) and parses it. */
export async function scrape(url: string, key?: string): Promise<ScrapedMetrics> {
  const response = await fetch(`${url}/metrics`, {
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  return new ScrapedMetrics(await response.text());
}
