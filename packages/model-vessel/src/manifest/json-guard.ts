import { AicError } from '@aic/core';

/**
 * Measures the nesting depth of a JSON text without parsing it, so a hostile text cannot make JSON.parse or later
 * recursive walks blow the stack or spend time before the limit is known.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93 /* } ] */) depth--;
  }
  return max;
}

/** Nesting depth of an already parsed value (bounded walk: stops counting past `limit`). */
export function valueDepth(value: unknown, limit: number, depth = 0): number {
  if (value === null || typeof value !== 'object' || depth > limit) return depth;
  let max = depth + 1;
  for (const child of Object.values(value)) max = Math.max(max, valueDepth(child, limit, depth + 1));
  return max;
}

/**
 * Parses an untrusted JSON text under a byte-size and depth limit.
 * Throws MODEL_JSON_TOO_LARGE, MODEL_JSON_TOO_DEEP or MODEL_JSON_INVALID.
 */
export function parseBoundedJson(text: string, maxBytes: number, maxDepth: number): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new AicError('MODEL_JSON_TOO_LARGE', `manifest is ${bytes} bytes, the limit is ${maxBytes}`, {
      details: { bytes, maxBytes },
    });
  }
  const depth = jsonTextDepth(text);
  if (depth > maxDepth) {
    throw new AicError('MODEL_JSON_TOO_DEEP', `manifest nests ${depth} levels, the limit is ${maxDepth}`, {
      details: { depth, maxDepth },
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AicError('MODEL_JSON_INVALID', 'manifest is not valid JSON', { cause });
  }
}
