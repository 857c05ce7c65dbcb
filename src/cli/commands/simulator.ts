import { defineCommand } from 'citty';
import type { CliIo } from '../io.js';
import { runSimulator, simulatorDefaultPort } from '../simulator/run-simulator.js';

export const simulatorCommand = (io: CliIo) =>
  defineCommand({
    meta: {
      name: 'simulator',
      description: 'Run the bundled provider simulator until Ctrl-C, to try switchyard offline (docs/simulator.md)',
    },
    args: {
      port: { type: 'string', description: `Port to listen on (default ${simulatorDefaultPort}; 0 picks a free one)` },
      'time-scale': {
        type: 'string',
        valueHint: 'N',
        description: 'Usage windows pass N times faster (3600: a 5-hour window lasts 5 s; default 1)',
      },
    },
    async run({ args }) {
      await runSimulator(io, { port: args.port, timeScale: args['time-scale'] });
    },
  });
