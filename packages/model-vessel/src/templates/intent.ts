import { readFile } from 'node:fs/promises';
import type { TensorDataset } from '../runtime/dataset.ts';
import { type ModelTemplate, manifestFromDraft } from './template.ts';

export const INTENTS = ['greet', 'goodbye', 'weather', 'order_status', 'book_table', 'play_music'] as const;
const HASH_BUCKETS = 512;

/** FNV-1a 32-bit: a stable hash so token ids need no vocabulary file. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Text → a bag of hashed words: lower-case words, each hashed (FNV-1a) into one of 512 buckets, counted.
 * This is the template's whole preprocessing; a caller of the model runs the same function.
 * (A bag of words into Dense is an Embedding + sum without the Embedding gradient, which tfjs computes with one
 * op per vocabulary row on the cpu backend and not at all on wasm.)
 */
export function featurizeUtterance(text: string): Float32Array {
  const counts = new Float32Array(HASH_BUCKETS);
  for (const word of text.toLowerCase().match(/[a-z0-9']+/g) ?? []) counts[fnv1a(word) % HASH_BUCKETS]! += 1;
  return counts;
}

function toDataset(rows: readonly { text: string; intent: number }[]): TensorDataset {
  return {
    features: Float32Array.from(rows.flatMap((r) => [...featurizeUtterance(r.text)])),
    featureShape: [HASH_BUCKETS],
    labels: Float32Array.from(rows, (r) => r.intent),
    labelShape: [1],
    count: rows.length,
  };
}

/** The share of the most frequent class in `data`: the accuracy of always answering that class. */
export function majorityBaseline(data: TensorDataset): number {
  const counts = new Map<number, number>();
  for (const label of data.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return Math.max(...counts.values()) / data.count;
}

/** Chatbot intent recognition: 180 hand-written utterances, 6 intents (data/intents.jsonl, CC0). */
export const intentTemplate: ModelTemplate = {
  id: 'intent',
  manifest: manifestFromDraft({
    name: 'chatbot-intent',
    task: 'text-classification',
    description: 'Chatbot intent from a short utterance: a bag of hashed words → dense → softmax.',
    input: {
      name: 'words',
      dtype: 'float32',
      shape: [HASH_BUCKETS],
      meaning: 'word counts from featurizeUtterance: lower-case words hashed (FNV-1a) into 512 buckets',
    },
    output: {
      name: 'intent',
      dtype: 'float32',
      shape: [INTENTS.length],
      meaning: 'class probabilities',
      labels: [...INTENTS],
    },
    layers: [
      { class_name: 'Dense', config: { units: 16, activation: 'relu' } },
      { class_name: 'Dense', config: { units: INTENTS.length, activation: 'softmax' } },
    ],
    loss: 'sparseCategoricalCrossentropy',
    epochs: 40,
    batchSize: 16,
    learningRate: 0.01,
    license: 'CC0-1.0',
    datasetId: 'aic:model-vessel/data/intents.jsonl',
  }),
  async loadData() {
    const text = await readFile(new URL('../../data/intents.jsonl', import.meta.url), 'utf8');
    const rows = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string; intent: string })
      .map((r) => ({ text: r.text, intent: (INTENTS as readonly string[]).indexOf(r.intent) }));
    // every 5th utterance of each intent is held out: 144 train / 36 test
    const seen = new Map<number, number>();
    const split = rows.map((r) => {
      const n = seen.get(r.intent) ?? 0;
      seen.set(r.intent, n + 1);
      return n % 5 === 4;
    });
    return {
      train: toDataset(rows.filter((_, i) => !split[i])),
      test: toDataset(rows.filter((_, i) => split[i])),
      source: 'packages/model-vessel/data/intents.jsonl, written by hand for AIC',
      license: 'CC0-1.0',
    };
  },
  // the majority-class baseline on the balanced test split is 1/6 ≈ 0.167; the reference is that + 0.5
  referenceAccuracy: 0.667,
  note: 'Held-out accuracy on 36 utterances (6 per intent); the majority-class baseline is 0.167.',
  job: { backend: 'wasm', seed: 1, commitEverySteps: 50 },
};
