import { startSimulator } from '../../provider-simulator/index.js';
import { CliError, type CliIo } from '../io.js';
import { portArgument } from '../port-argument.js';
import { untilStopped } from '../until-stopped.js';
import { controlExamples, simulatorProvidersYaml } from './simulator-guide.js';

/** Next to serve's 8790, so that a config.yaml written for one session keeps working in the next. */
export const simulatorDefaultPort = 8791;

/** The accounts a fresh simulator has, and the environment variable each one's API key goes in. */
const accounts = [
  { name: 'sim-a', variable: 'SIM_KEY_A' },
  { name: 'sim-b', variable: 'SIM_KEY_B' },
] as const;

/**
 * `switchyard simulator`: the simulator on loopback with two accounts, and what to type to put
 * switchyard in front of it, until Ctrl-C. Its keys are made up at start and worth nothing
 * outside this process, so they are printed: the user needs them to set up the buckets.
 */
export async function runSimulator(
  io: CliIo,
  options: { port: string | undefined; timeScale: string | undefined },
): Promise<void> {
  const port = portArgument(options.port, simulatorDefaultPort);
  const timeScale = options.timeScale === undefined ? 1 : Number(options.timeScale);
  if (!(Number.isFinite(timeScale) && timeScale > 0))
    throw new CliError(`--time-scale must be a positive number, not "${options.timeScale}".`);
  const stopped = untilStopped();
  const simulator = await startSimulator({ host: '127.0.0.1', port, timeScale }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new CliError(`Port ${port} is in use; choose another with: switchyard simulator --port N.`);
    throw error;
  });
  const say = (text: string) => io.stdout(`${text}\n`);
  const url = simulator.url;
  const keys = accounts.map((account) => ({ ...account, apiKey: simulator.addAccount(account.name).apiKey }));
  say(`switchyard simulator listening on ${url}`);
  say('It answers the Anthropic, OpenAI, Codex, Gemini and Qwen APIs and their OAuth token endpoints.');
  if (timeScale !== 1) say(`Usage windows (POST /__sim/usage-windows) pass ${timeScale} times faster than the clock.`);
  say('');
  say('Accounts (each takes its API key, or OAuth tokens made with POST /__sim/accounts):');
  for (const account of keys) say(`  ${account.name}  API key ${account.apiKey}`);
  say(`\nPoint switchyard at it: put this in ${io.paths.config}\n`);
  say(simulatorProvidersYaml(url));
  say('Then make the accounts buckets of a profile and serve it (in another terminal):');
  say(`  export ${keys.map((account) => `${account.variable}=${account.apiKey}`).join(' ')}`);
  for (const account of keys) say(`  switchyard auth anthropic key ${account.name} --env ${account.variable}`);
  say(`  switchyard profile save model sim-pool ${keys.map((account) => account.name).join(' ')} --provider anthropic`);
  say('  switchyard serve --profile sim-pool');
  say('\nMake an account fail, and watch switchyard fail over (all routes: docs/simulator.md):');
  for (const example of controlExamples(url, accounts[0].name)) say(`  ${example}`);
  say('\nCtrl-C stops the simulator.');
  const signal = await stopped;
  io.stderr(`switchyard simulator: ${signal} received, stopping\n`);
  await simulator.close();
}
