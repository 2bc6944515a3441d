import { Uint8ArrayList } from 'uint8arraylist';
import { describe, expect, it } from 'vitest';
import { openChunkInto } from '../../src/exchange/chunk-open.ts';
import { decodeChunkResponseParts, encodeChunkResponse, sealedOfResponse } from '../../src/exchange/chunk-wire.ts';
import { ChunkStatus, decryptChunk, encryptChunk, generateDatasetKey, type Hex } from '../../src/index.ts';

const datasetRoot = `0x${'cd'.repeat(32)}` as Hex;
const position = { datasetRoot, shardIndex: 2, chunkIndex: 5 };

/** The bytes cut into pieces the way a stream delivers them (noise messages, TCP reads). */
function inPieces(bytes: Uint8Array, size: number): Uint8ArrayList {
  const list = new Uint8ArrayList();
  for (let at = 0; at < bytes.length; at += size) list.append(bytes.slice(at, at + size));
  return list;
}

describe('opening a sealed chunk in place (the fetch path)', () => {
  const key = generateDatasetKey();
  const plain = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff);
  const sealed = encryptChunk(key, position, plain);

  it('writes exactly what decryptChunk returns, at its offset, from any cut of the answer', () => {
    for (const size of [7, 17, 4096, sealed.length]) {
      const target = new Uint8Array(30_000).fill(0xee);
      expect(openChunkInto(key, position, inPieces(sealed, size), target, 1000, plain.length)).toBeUndefined();
      expect(target.subarray(1000, 1000 + plain.length)).toEqual(decryptChunk(key, position, sealed));
      expect(target.subarray(0, 1000).every((b) => b === 0xee)).toBe(true);
      expect(target.subarray(1000 + plain.length).every((b) => b === 0xee)).toBe(true);
    }
  });

  it('refuses a tampered chunk, a moved chunk or a wrong key as chunk-auth-failed', () => {
    const target = new Uint8Array(plain.length);
    const tampered = sealed.slice();
    tampered[123] = (tampered[123] as number) ^ 1;
    expect(openChunkInto(key, position, inPieces(tampered, 999), target, 0, plain.length)).toBe('chunk-auth-failed');
    const moved = { ...position, chunkIndex: 6 };
    expect(openChunkInto(key, moved, inPieces(sealed, 999), target, 0, plain.length)).toBe('chunk-auth-failed');
    const other = generateDatasetKey();
    expect(openChunkInto(other, position, inPieces(sealed, 999), target, 0, plain.length)).toBe('chunk-auth-failed');
    expect(openChunkInto(key, position, new Uint8ArrayList(), target, 0, plain.length)).toBe('chunk-auth-failed');
  });

  it('writes nothing outside its range for a chunk of another length: authentic ones are a length mismatch', () => {
    const longer = encryptChunk(key, position, new Uint8Array(plain.length + 10).fill(1));
    const target = new Uint8Array(plain.length + 100).fill(0xee);
    expect(openChunkInto(key, position, inPieces(longer, 4096), target, 0, plain.length)).toBe('chunk-length-mismatch');
    expect(target.subarray(plain.length).every((b) => b === 0xee)).toBe(true);
    const garbage = new Uint8Array(plain.length + 40).fill(3);
    expect(openChunkInto(key, position, inPieces(garbage, 4096), target, 0, plain.length)).toBe('chunk-auth-failed');
    expect(openChunkInto(key, position, inPieces(sealed, 4096), target, 200, plain.length)).toBe(
      'chunk-length-mismatch',
    );
  });

  it('decodes an answer from its pieces without joining them, with the same checks as decodeChunkResponse', () => {
    const frame = encodeChunkResponse(0x01020304, ChunkStatus.ok, sealed);
    const parts = decodeChunkResponseParts(inPieces(frame, 3));
    expect(parts).toMatchObject({ requestId: 0x01020304, status: ChunkStatus.ok });
    expect(sealedOfResponse(parts).subarray()).toEqual(sealed);
    expect(() => sealedOfResponse(decodeChunkResponseParts(inPieces(encodeChunkResponse(3, 1), 2)))).toThrow(
      expect.objectContaining({ code: 'DATA_CHUNK_NOT_FOUND' }),
    );
    for (const bad of [new Uint8Array(4), encodeChunkResponse(1, ChunkStatus.ok), Uint8Array.of(0, 0, 0, 1, 9)]) {
      expect(() => decodeChunkResponseParts(inPieces(bad, 2))).toThrow(
        expect.objectContaining({ code: 'DATA_CHUNK_RESPONSE_INVALID' }),
      );
    }
  });
});
