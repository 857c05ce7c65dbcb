export {
  createStreamUsageTracker,
  inspectStreamStart,
  readRequestShape,
  readUsage,
  renderError,
  renderStreamError,
  usageOfAnswer,
} from './dispatch.js';
export { renderExhausted } from './render-exhausted.js';
export type {
  BucketAvailability,
  ErrorDescription,
  RequestShape,
  StreamStart,
  StreamUsageTracker,
  Usage,
} from './types.js';
