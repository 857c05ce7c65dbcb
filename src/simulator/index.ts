export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export type { AccountCounts, AccountCredentials, AccountOptions, RateLimitStyle, Step } from './types.js';
