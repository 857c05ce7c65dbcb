/**
 * Internal: undici's error classes, from their own module (a page of class definitions), so that
 * the upstream response can raise undici's timeout and abort errors without loading the agent.
 * A private path: package.json pins undici to an exact version (see scripts/bundle.mjs).
 */
import errorClasses from 'undici/lib/core/errors.js';

export const errors = errorClasses;
