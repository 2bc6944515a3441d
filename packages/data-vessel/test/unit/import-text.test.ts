import { describe, expect, it } from 'vitest';
import {
  buildVocabulary,
  encodeText,
  importTextJsonl,
  parseDatasetManifest,
  readShard,
  SEPARATOR_ID,
  tokenizeText,
  UNKNOWN_ID,
} from '../../src/index.ts';

const publish = { license: 'CC0-1.0', pricePerUseWei: 0n, testFraction: 0 };

const intents = [
  { text: 'Hello there!', label: 'greet' },
  { text: 'hi, how are you', label: 'greet' },
  { text: 'what time is it', label: 'time' },
  { text: 'tell me the time please', label: 'time' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

const pairs = [
  { text: 'how do I reset my password', text_pair: 'I forgot my password', label: 1 },
  { text: 'how do I reset my password', text_pair: 'what is the weather', label: 0 },
  { text: 'where is my order', text_pair: 'track my package', label: 1 },
]
  .map((r) => JSON.stringify(r))
  .join('\r\n');

describe('text and text-pair JSONL importer', () => {
  it('tokenizes, builds a vocabulary into the manifest and pads token ids', () => {
    const { manifest, shards } = importTextJsonl(intents, {
      name: 'intents',
      maxTokens: 6,
      ...publish,
      shuffleSeed: 0,
    });
    expect(parseDatasetManifest(manifest)).toEqual(manifest);
    if (manifest.preprocessing.kind !== 'text') throw new Error('expected text preprocessing');
    const { vocabulary } = manifest.preprocessing;
    expect(vocabulary.slice(0, 4)).toEqual(['<pad>', '<unk>', '<sep>', 'time']); // "time" is the most frequent word
    expect(manifest.classes).toEqual(['greet', 'time']);
    const { features, labels } = readShard(shards[0]!);
    expect(features).toBeInstanceOf(Int32Array);
    const rows = Array.from({ length: 4 }, (_, r) => Array.from(features.subarray(r * 6, r * 6 + 6)));
    const decoded = rows.map((ids) =>
      ids
        .filter((id) => id !== 0)
        .map((id) => vocabulary[id])
        .join(' '),
    );
    expect(decoded.sort()).toEqual(['hello there', 'hi how are you', 'tell me the time please', 'what time is it']);
    for (const [r, text] of rows.entries()) {
      const words = text.filter((id) => id !== 0).map((id) => vocabulary[id]);
      expect(labels[r]).toBe(words.includes('time') ? 1 : 0);
    }
  });

  it('joins a pair with the separator token and keeps numeric labels as classes', () => {
    const { manifest, shards } = importTextJsonl(pairs, { name: 'pairs', maxTokens: 12, ...publish }, true);
    expect(manifest.sourceKind).toBe('text-pair-jsonl');
    expect(manifest.classes).toEqual(['0', '1']);
    const { features } = readShard(shards[0]!);
    for (let r = 0; r < 3; r++) expect(Array.from(features.subarray(r * 12, r * 12 + 12))).toContain(SEPARATOR_ID);
  });

  it('truncates long pairs fairly and maps unseen words to <unk>', () => {
    const vocabulary = buildVocabulary([['a', 'b']], 100);
    const index = new Map(vocabulary.map((t, i) => [t, i]));
    const ids = Array.from(encodeText(index, 5, ['a', 'a', 'a', 'a'], ['b', 'b', 'zzz']));
    expect(ids).toEqual([3, 3, SEPARATOR_ID, 4, 4]);
    expect(Array.from(encodeText(index, 3, tokenizeText('ZZZ a')))).toEqual([UNKNOWN_ID, 3, 0]);
  });

  it('rejects bad lines with the line number', () => {
    const opts = { name: 'bad', ...publish };
    expect(() => importTextJsonl('{"text":"a","label":"x"}\n{oops', opts)).toThrow(
      expect.objectContaining({ code: 'DATA_JSONL_INVALID', details: expect.objectContaining({ line: 2 }) }),
    );
    expect(() => importTextJsonl('{"text":"a"}', opts)).toThrow(
      expect.objectContaining({ code: 'DATA_JSONL_INVALID', details: expect.objectContaining({ path: 'label' }) }),
    );
    expect(() => importTextJsonl('{"text":"a","label":"x"}', opts, true)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ path: 'text_pair' }) }),
    );
    expect(() => importTextJsonl('\n\n', opts)).toThrow(expect.objectContaining({ code: 'DATA_IMPORT_EMPTY' }));
  });
});
