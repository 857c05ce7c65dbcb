import { isRecord } from '../core/json.js';
import type { ToolCall } from './formats/format.js';
import { nextId } from './ids.js';

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/**
 * The name of the first tool a request offers, in any of the four formats (Anthropic and
 * Responses `tools[].name`, Chat `tools[].function.name`, Gemini `tools[].functionDeclarations[].name`,
 * also inside a Code Assist `request`).
 */
export function firstOfferedTool(body: Record<string, unknown>): string | undefined {
  const request = recordOf(body.request) ?? body;
  const tools = request.tools;
  if (!Array.isArray(tools)) return undefined;
  for (const tool of tools) {
    const entry = recordOf(tool);
    if (!entry) continue;
    if (typeof entry.name === 'string') return entry.name;
    const fn = recordOf(entry.function);
    if (fn && typeof fn.name === 'string') return fn.name;
    const declarations = entry.functionDeclarations;
    if (Array.isArray(declarations)) {
      const first = recordOf(declarations[0]);
      if (first && typeof first.name === 'string') return first.name;
    }
  }
  return undefined;
}

/** A tool call to answer with; its arguments split in three pieces (clients join the text, so any cut is fine). */
export function buildToolCall(
  body: Record<string, unknown>,
  name: string | undefined,
  toolArguments: Record<string, unknown> | undefined,
): ToolCall {
  const argumentsJson = JSON.stringify(toolArguments ?? {});
  const third = Math.max(1, Math.floor(argumentsJson.length / 3));
  const cuts = [0, third, 2 * third, argumentsJson.length];
  const pieces = [0, 1, 2]
    .map((index) => argumentsJson.slice(cuts[index], cuts[index + 1]))
    .filter((piece) => piece !== '');
  return { id: nextId(), name: name ?? firstOfferedTool(body) ?? 'get_weather', argumentsJson, pieces };
}
