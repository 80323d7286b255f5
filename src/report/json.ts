// The comparison as JSON: pretty, keys in the order the schema declares them (stable diffs,
// readable files). Unknown keys are kept, after the known ones. Pure.
import { z } from 'zod';
import { comparisonSchema, type Comparison } from '../schema/comparison.ts';

/** Rebuilds `value` with object keys in `schema`'s declared order (public zod API only). */
export function orderBySchema(value: unknown, schema: z.ZodType): unknown {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return orderBySchema(value, schema.unwrap() as z.ZodType);
  if (Array.isArray(value)) {
    if (schema instanceof z.ZodArray) return value.map((v) => orderBySchema(v, schema.element as z.ZodType));
    if (schema instanceof z.ZodTuple) {
      const items = schema.def.items as z.ZodType[];
      return value.map((v, i) => (items[i] ? orderBySchema(v, items[i]) : v));
    }
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    for (const key of Object.keys(shape)) if (key in record) out[key] = orderBySchema(record[key], shape[key]);
  } else if (schema instanceof z.ZodRecord) {
    const keyType = schema.keyType as z.ZodType;
    const valueType = schema.valueType as z.ZodType;
    const known = keyType instanceof z.ZodEnum ? (keyType.options as string[]) : [];
    for (const key of known) if (key in record) out[key] = orderBySchema(record[key], valueType);
    for (const key of Object.keys(record)) if (!(key in out)) out[key] = orderBySchema(record[key], valueType);
    return out;
  }
  for (const key of Object.keys(record)) if (!(key in out)) out[key] = record[key];
  return out;
}

/** `perfgate/comparison@1` JSON, two-space indented, schema key order, trailing newline. */
export function renderJson(c: Comparison): string {
  return `${JSON.stringify(orderBySchema(c, comparisonSchema), null, 2)}\n`;
}
