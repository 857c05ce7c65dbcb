import { afterEach, beforeEach } from 'vitest';
import { startSimulator } from '../simulator.js';
import type { Simulator, SimulatorClock, SimulatorOptions } from '../types.js';

/** Starts a fresh simulator before each test and closes it after; call inside `describe`. */
export function useSimulator(options: SimulatorOptions = {}): () => Simulator {
  let simulator: Simulator | undefined;
  beforeEach(async () => {
    simulator = await startSimulator(options);
  });
  afterEach(async () => {
    await simulator?.close();
    simulator = undefined;
  });
  return () => {
    if (!simulator) throw new Error('The simulator runs only inside a test');
    return simulator;
  };
}

/** A clock that moves only when told. */
export interface ManualClock extends SimulatorClock {
  advance(milliseconds: number): void;
}

export function manualClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (milliseconds) => {
      now += milliseconds;
    },
  };
}

/** A raw answer: status, headers and text, for asserting exact wire shapes. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

/** POSTs JSON to the simulator without any SDK in between. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}
