// The words live in core so the server says "expires in 1 hour" as the CLI does.
export { describeAgo, describeIn } from '../core/relative-time.js';
