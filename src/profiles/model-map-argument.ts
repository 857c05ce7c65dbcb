/** The usage the error message shows, so that a user can copy it. */
const example = "--models 'claude-haiku-4-5=gpt-4.1-mini,*=gpt-4.1'";

/**
 * Reads `--models` (`CLIENT=MODEL` pairs separated by commas; `*` for any other client model)
 * into a profile's model map; throws a message that shows the expected form.
 */
export function parseModelMap(text: string): Record<string, string> {
  const models: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const equals = trimmed.indexOf('=');
    const client = equals === -1 ? '' : trimmed.slice(0, equals).trim();
    const model = equals === -1 ? '' : trimmed.slice(equals + 1).trim();
    if (client === '' || model === '')
      throw new Error(
        `Expected \`--models\` as CLIENT=MODEL pairs separated by commas, e.g. ${example}; got "${trimmed}".`,
      );
    if (Object.hasOwn(models, client))
      throw new Error(`\`--models\` maps "${client}" twice; give each client model once.`);
    models[client] = model;
  }
  if (Object.keys(models).length === 0)
    throw new Error(`Expected \`--models\` as CLIENT=MODEL pairs separated by commas, e.g. ${example}.`);
  return models;
}
