// Types for the undici modules imported by path (see src/router/undici-parts.ts and undici-errors.ts); undici's own
// typings describe only its index.
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';

  const AgentClass: typeof Agent;
  export = AgentClass;
}

declare module 'undici/lib/core/errors.js' {
  import type { errors } from 'undici';

  const errorClasses: typeof errors;
  export = errorClasses;
}
