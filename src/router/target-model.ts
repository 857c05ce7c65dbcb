import type { Target } from '../profiles/types.js';

/**
 * The model a bucket is asked for: the profile's map entry for the client's model (or its `*`
 * entry), else the profile's `model`, else the client's own.
 */
export function targetModel(target: Target, clientModel: string | undefined): string | undefined {
  const models = target.models;
  if (models === undefined) return target.model ?? clientModel;
  const mapped = clientModel !== undefined && Object.hasOwn(models, clientModel) ? models[clientModel] : undefined;
  return mapped ?? (Object.hasOwn(models, '*') ? models['*'] : undefined) ?? target.model ?? clientModel;
}
