import { defineCommand } from 'citty';
import { runDemo } from '../demo/run-demo.js';
import type { CliIo } from '../io.js';

export const demoCommand = (io: CliIo) =>
  defineCommand({
    meta: {
      name: 'demo',
      description:
        'Run the router against the bundled provider simulator with a three-bucket pool and show failover live',
    },
    args: {
      pause: {
        type: 'string',
        description: 'Milliseconds to pause between steps so a person can follow (default 400, 0 in CI)',
      },
      keep: {
        type: 'boolean',
        description: 'Keep the router and the simulator running after the tour, with what to try, until Ctrl-C',
      },
    },
    async run({ args }) {
      const pause = args.pause !== undefined ? Number(args.pause) : io.environment.CI ? 0 : 400;
      await runDemo(io, { pauseMs: Number.isFinite(pause) && pause >= 0 ? pause : 400, keep: args.keep === true });
    },
  });
