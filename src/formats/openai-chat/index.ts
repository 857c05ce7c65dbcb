export { errorObject, errorType, renderError, renderStreamError } from './render-error.js';
export { readRequestShape } from './request-shape.js';
export { classifyStartEvent } from './stream-start.js';
export { readUsage, streamUsage, usageOfAnswer } from './usage.js';
