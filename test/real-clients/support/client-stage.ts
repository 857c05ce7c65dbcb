import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness, type Harness } from '../../support/harness.js';
import { type RecordedExchange, type RequestRecorder, startRequestRecorder } from './request-recorder.js';

/** The key the real clients present to switchyard; it must never travel further upstream. */
export const clientKey = 'sk-switchyard-client-key';

/** Everything one real-client run needs: simulator, switchyard, a recorder in front, and an empty HOME. */
export interface ClientStage {
  harness: Harness;
  /** The client's HOME and working folder: no real configuration or credentials of the developer. */
  workspace: string;
  /** Starts switchyard on `profile` (client key required) and returns the URL the client is given. */
  start(profile: string): Promise<string>;
  /** Every request the client made to switchyard so far. */
  exchanges(): RecordedExchange[];
  close(): Promise<void>;
}

export async function openClientStage(name: string): Promise<ClientStage> {
  const harness = await createHarness();
  const workspace = await mkdtemp(join(tmpdir(), `switchyard-${name}-`));
  let recorder: RequestRecorder | undefined;
  return {
    harness,
    workspace,
    async start(profile) {
      const router = await harness.startRouter({ profile, environment: { SWITCHYARD_API_KEY: clientKey } });
      recorder = await startRequestRecorder(router.url);
      return recorder.url;
    },
    exchanges: () => recorder?.exchanges ?? [],
    async close() {
      await recorder?.close();
      await harness.close();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}
