import type { HistoryShelf } from '../history-shelf.js';
import type { RedisConnection } from './redis-connection.js';

/** A chart snapshot outlives its instance by the charts' longest range (a week) and a day. */
const chartKeepSeconds = 8 * 24 * 60 * 60;

/**
 * Each instance's history under `<prefix>dashboard:<name>:<instance>`, listed in the set
 * `<prefix>dashboard:<name>` (`series` for the charts, `usage` for tokens and cost). A restarted
 * instance starts a new snapshot and reads its old one as another's, so nothing is counted twice;
 * expired snapshots leave the set when next read.
 */
export class RedisHistoryShelf implements HistoryShelf {
  private readonly listKey: string;

  constructor(
    private readonly connection: RedisConnection,
    name = 'series',
    private readonly keepSeconds = chartKeepSeconds,
  ) {
    this.listKey = `${connection.prefix}dashboard:${name}`;
  }

  private keyOf(instance: string): string {
    return `${this.listKey}:${instance}`;
  }

  async save(text: string): Promise<void> {
    await this.connection.client
      .multi()
      .set(this.keyOf(this.connection.instanceId), text, 'EX', this.keepSeconds)
      .sadd(this.listKey, this.connection.instanceId)
      .exec();
  }

  async others(): Promise<string[]> {
    const instances = (await this.connection.client.smembers(this.listKey)).filter(
      (instance) => instance !== this.connection.instanceId,
    );
    if (instances.length === 0) return [];
    const texts = await this.connection.client.mget(instances.map((instance) => this.keyOf(instance)));
    const gone = instances.filter((_, index) => texts[index] === null);
    if (gone.length > 0) await this.connection.client.srem(this.listKey, ...gone);
    return texts.filter((text): text is string => text !== null);
  }
}
