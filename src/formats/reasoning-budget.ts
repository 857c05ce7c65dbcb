import type { ReasoningSettings } from './internal.js';

/**
 * Effort levels and token budgets stand for each other when a format knows only one of them.
 * The budgets follow the bands Anthropic and Google document for their thinking budgets.
 */
const budgets = { minimal: 1024, low: 2048, medium: 8192, high: 24576 } as const;

/** A thinking budget in tokens for the settings (Anthropic, Gemini). */
export function budgetOf(reasoning: ReasoningSettings): number | undefined {
  if (reasoning.budgetTokens !== undefined) return reasoning.budgetTokens;
  return reasoning.effort === undefined ? undefined : budgets[reasoning.effort];
}

/** An effort level for the settings (OpenAI). */
export function effortOf(reasoning: ReasoningSettings): ReasoningSettings['effort'] {
  if (reasoning.effort !== undefined) return reasoning.effort;
  const budget = reasoning.budgetTokens;
  if (budget === undefined) return undefined;
  if (budget <= budgets.minimal) return 'low';
  if (budget <= budgets.medium) return 'medium';
  return 'high';
}

/** An effort named by a client, if it is one the internal form knows. */
export function parseEffort(value: unknown): ReasoningSettings['effort'] {
  return value === 'minimal' || value === 'low' || value === 'medium' || value === 'high' ? value : undefined;
}
