import { isRecord } from '../core/json.js';

/**
 * A small JSON value that satisfies a JSON Schema's `type`, `enum`/`const`, `required`
 * properties, `minItems` and `minimum`/`maximum`: enough for a client that parses and checks the answer.
 * `anyOf`/`oneOf` take their first branch; anything unknown becomes an empty object.
 */
export function schemaInstance(schema: unknown): unknown {
  if (!isRecord(schema)) return {};
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) return schemaInstance(branches[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return 'simulated';
    case 'number':
    case 'integer':
      // 1 rather than 0 when unbounded: clients often check scores and counts as positive (Gemini CLI's classifier
      // wants 1-100).
      if (typeof schema.minimum === 'number') return Math.ceil(schema.minimum);
      return typeof schema.maximum === 'number' && schema.maximum < 1 ? Math.floor(schema.maximum) : 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: count }, () => schemaInstance(schema.items));
    }
    default: {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required)
        ? schema.required.filter((name): name is string => typeof name === 'string')
        : [];
      return Object.fromEntries(required.map((name) => [name, schemaInstance(properties[name])]));
    }
  }
}
