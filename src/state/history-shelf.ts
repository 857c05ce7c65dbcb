/**
 * Where a cluster's instances keep a dashboard history (the charts, the usage), so each shows the
 * whole cluster's traffic and a restart keeps it: one opaque snapshot (JSON text) per instance.
 */
export interface HistoryShelf {
  /** This instance's snapshot, replacing its previous one. */
  save(text: string): Promise<void>;
  /** The snapshots of every other instance, running or gone (until they expire). */
  others(): Promise<string[]>;
}
