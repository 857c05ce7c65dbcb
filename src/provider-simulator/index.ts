export { claudeCodeIdentity, oauthBeta } from './request-gates.js';
export { startSimulator } from './simulator.js';
export type {
  AccountCounts,
  AccountCredentials,
  AccountOptions,
  RateLimitStyle,
  SimulatedFormat,
  Simulator,
  SimulatorClock,
  SimulatorOptions,
  Step,
} from './types.js';
