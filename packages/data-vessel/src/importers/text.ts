import { AicError } from '@aic/core';
import { z } from 'zod';
import { buildDataset, type ImportedDataset, type PublishOptions } from '../digitize/index.ts';
import { buildVocabulary, encodeText, tokenizeText } from './tokenizer.ts';

/** How to digitize a JSONL text collection. */
export interface TextImportOptions extends PublishOptions {
  readonly name: string;
  readonly description?: string;
  /** Token ids per row (default 32). */
  readonly maxTokens?: number;
  /** Most vocabulary entries, reserved tokens included (default 10,000). */
  readonly maxVocabulary?: number;
}

const label = z.union([z.string().min(1).max(200), z.number().finite()]).transform(String);
const singleLine = z.object({ text: z.string(), label });
const pairLine = z.object({ text: z.string(), text_pair: z.string(), label });

interface TextRow {
  readonly text: string[];
  readonly pair?: string[];
  readonly label: string;
}

function parseLines(jsonl: string, pairs: boolean): TextRow[] {
  const rows: TextRow[] = [];
  for (const [i, line] of jsonl.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new AicError('DATA_JSONL_INVALID', `line ${i + 1}: not valid JSON`, { cause, details: { line: i + 1 } });
    }
    const parsed = (pairs ? pairLine : singleLine).safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join('.') ?? '';
      throw new AicError('DATA_JSONL_INVALID', `line ${i + 1}: ${path || '(root)'}: ${issue?.message}`, {
        details: { line: i + 1, path, reason: issue?.message },
      });
    }
    const data = parsed.data as { text: string; text_pair?: string; label: string };
    rows.push({
      text: tokenizeText(data.text),
      ...(data.text_pair === undefined ? {} : { pair: tokenizeText(data.text_pair) }),
      label: data.label,
    });
  }
  return rows;
}

/**
 * Digitizes JSONL text: one `{"text", "label"}` per line, or `{"text", "text_pair", "label"}` for pairs
 * (`pairs: true`). Texts are tokenized (`lowercase-words/1`), a vocabulary is built and stored in the manifest, and
 * each row becomes `maxTokens` padded I32 token ids; labels become class ids. Throws DATA_JSONL_INVALID with the
 * line number, or DATA_IMPORT_EMPTY.
 *
 * @example
 * const dataset = importTextJsonl(text, { name: 'intents', license: 'CC0-1.0', pricePerUseWei: 0n });
 */
export function importTextJsonl(jsonl: string, options: TextImportOptions, pairs = false): ImportedDataset {
  const rows = parseLines(jsonl, pairs);
  const maxTokens = options.maxTokens ?? 32;
  const vocabulary = buildVocabulary(
    rows.flatMap((r) => (r.pair ? [r.text, r.pair] : [r.text])),
    options.maxVocabulary ?? 10_000,
  );
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const features = new Int32Array(rows.length * maxTokens);
  for (const [i, row] of rows.entries()) features.set(encodeText(index, maxTokens, row.text, row.pair), i * maxTokens);
  const classes = [...new Set(rows.map((r) => r.label))].sort();
  const id = new Map(classes.map((c, i) => [c, i]));
  return buildDataset(
    {
      rows: rows.length,
      features,
      featureShape: [maxTokens],
      labels: Int32Array.from(rows, (r) => id.get(r.label) as number),
      labelShape: [],
    },
    {
      name: options.name,
      ...(options.description === undefined ? {} : { description: options.description }),
      sourceKind: pairs ? 'text-pair-jsonl' : 'text-jsonl',
      task: 'classification',
      classes,
      normalization: { kind: 'none' },
      preprocessing: { kind: 'text', tokenizer: 'lowercase-words/1', maxTokens, vocabulary },
    },
    options,
  );
}
