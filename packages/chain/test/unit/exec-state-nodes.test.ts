import { createMPT } from '@ethereumjs/mpt';
import { Account, type BatchDBOp, createAddressFromString, type DB, ecrecover } from '@ethereumjs/util';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { createPovCommon } from '../../src/exec/common.ts';
import { createCachedEcrecover, fastEcrecover, nativeRecovery } from '../../src/exec/sender-cache.ts';
import { StateNodeCache } from '../../src/exec/state-node-cache.ts';
import { openState } from '../../src/exec/state-reader.ts';

/** A DB that counts what reaches it (what the cache saves the store). */
class CountingDb implements DB<string, Uint8Array> {
  readonly data = new Map<string, Uint8Array>();
  gets = 0;
  batches = 0;
  async get(key: string) {
    this.gets++;
    return this.data.get(key);
  }
  async put(key: string, value: Uint8Array) {
    await this.batch([{ type: 'put', key, value }]);
  }
  async del(key: string) {
    await this.batch([{ type: 'del', key }]);
  }
  async batch(ops: BatchDBOp<string, Uint8Array>[]) {
    this.batches++;
    for (const op of ops) {
      if (op.type === 'put') this.data.set(op.key, op.value);
      else this.data.delete(op.key);
    }
  }
  shallowCopy() {
    return this;
  }
  async open() {}
}

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('StateNodeCache', () => {
  it('keeps writes in memory until persist, then writes them in one batch', async () => {
    const inner = new CountingDb();
    const cache = new StateNodeCache(inner, 10);
    await cache.put('aa', bytes(1));
    await cache.batch([
      { type: 'put', key: 'bb', value: bytes(2) },
      { type: 'put', key: 'cc', value: bytes(3) },
    ]);
    expect(inner.data.size).toBe(0);
    expect(await cache.get('bb')).toEqual(bytes(2));
    expect(cache.dirtyCount).toBe(3);
    await cache.persist();
    expect(inner.batches).toBe(1);
    expect([...inner.data.keys()].sort()).toEqual(['aa', 'bb', 'cc']);
    expect(cache.dirtyCount).toBe(0);
    // Persisted nodes are served from memory, not read back.
    expect(await cache.get('cc')).toEqual(bytes(3));
    expect(inner.gets).toBe(0);
  });

  it('reads a node from the store once, and a deletion hides it until persisted', async () => {
    const inner = new CountingDb();
    inner.data.set('dd', bytes(4));
    const cache = new StateNodeCache(inner, 10);
    expect(await cache.get('dd')).toEqual(bytes(4));
    expect(await cache.get('dd')).toEqual(bytes(4));
    expect(inner.gets).toBe(1);
    await cache.del('dd');
    expect(await cache.get('dd')).toBeUndefined();
    expect(inner.data.has('dd')).toBe(true);
    await cache.persist();
    expect(inner.data.has('dd')).toBe(false);
    expect(await cache.get('dd')).toBeUndefined();
  });

  it('bounds the clean nodes it keeps (least recently used leaves first)', async () => {
    const inner = new CountingDb();
    const cache = new StateNodeCache(inner, 2);
    for (const key of ['k1', 'k2', 'k3']) await cache.put(key, bytes(1));
    await cache.persist();
    inner.gets = 0;
    await cache.get('k3');
    await cache.get('k2');
    expect(inner.gets).toBe(0);
    await cache.get('k1');
    expect(inner.gets).toBe(1);
  });

  it('keeps the nodes of a failed persist for the next one', async () => {
    const inner = new CountingDb();
    const cache = new StateNodeCache(inner, 10);
    await cache.put('ee', bytes(5));
    const batch = inner.batch.bind(inner);
    inner.batch = async () => {
      throw new Error('disk full');
    };
    await expect(cache.persist()).rejects.toThrow('disk full');
    inner.batch = batch;
    await cache.persist();
    expect(inner.data.get('ee')).toEqual(bytes(5));
  });

  it('serves a state trie: storage tries share it, the store sees one batch per persist', async () => {
    const inner = new CountingDb();
    const cache = new StateNodeCache(inner, 1000);
    const common = createPovCommon(31_338);
    const state = await openState(cache, (await createMPT()).root(), common);
    const token = createAddressFromString('0x00000000000000000000000000000000000000aa');
    const slotOf = (i: number) => {
      const slot = new Uint8Array(32);
      slot[31] = i;
      return slot;
    };
    await state.checkpoint();
    await state.putAccount(token, new Account(0n, 1n));
    for (let i = 0; i < 20; i++) await state.putStorage(token, slotOf(i), bytes(i + 1));
    await state.commit();
    const root = await state.getStateRoot();
    expect(inner.batches).toBe(0);
    await cache.persist();
    expect(inner.batches).toBe(1);
    // The state reads back from the store alone (a restarted node).
    const reopened = await openState(inner, root, common);
    expect(await reopened.getStorage(token, slotOf(7))).toEqual(bytes(8));
  });
});

describe('sender recovery', () => {
  const key = secp256k1.utils.randomSecretKey();
  const cases = Array.from({ length: 20 }, (_, i) => {
    const hash = new Uint8Array(32).fill(i + 1);
    const sig = secp256k1.sign(hash, key, { prehash: false, format: 'recovered' });
    // 'recovered' is recovery ‖ r ‖ s.
    return { hash, recovery: sig[0] as number, r: sig.slice(1, 33), s: sig.slice(33, 65) };
  });

  it('libsecp256k1 recovers exactly the public key @noble/curves does (EIP-155 and typed v)', () => {
    // The package ships prebuilt binaries for linux-x64 (where the suite runs), darwin-arm64 and win32-x64.
    if (process.platform === 'linux' && process.arch === 'x64') expect(nativeRecovery).toBe(true);
    for (const c of cases) {
      const typed = BigInt(c.recovery);
      expect(fastEcrecover(c.hash, typed, c.r, c.s)).toEqual(ecrecover(c.hash, typed, c.r, c.s));
      const eip155 = BigInt(c.recovery) + 31_338n * 2n + 35n;
      expect(fastEcrecover(c.hash, eip155, c.r, c.s, 31_338n)).toEqual(ecrecover(c.hash, eip155, c.r, c.s, 31_338n));
    }
  });

  it('refuses what noble refuses: a bad v, r = 0, r ≥ n', () => {
    const c = cases[0] as (typeof cases)[number];
    const n = secp256k1.Point.CURVE().n;
    const big = Uint8Array.from(Buffer.from((n + 1n).toString(16).padStart(64, '0'), 'hex'));
    for (const recover of [fastEcrecover, ecrecover]) {
      expect(() => recover(c.hash, 5n, c.r, c.s)).toThrow();
      expect(() => recover(c.hash, 0n, new Uint8Array(32), c.s)).toThrow();
      expect(() => recover(c.hash, 0n, big, c.s)).toThrow();
    }
  });

  it('recovers each signature once', () => {
    let calls = 0;
    const cached = createCachedEcrecover(4, (...args) => {
      calls++;
      return fastEcrecover(...args);
    });
    const c = cases[1] as (typeof cases)[number];
    const first = cached(c.hash, BigInt(c.recovery), c.r, c.s);
    expect(cached(c.hash, BigInt(c.recovery), c.r, c.s)).toBe(first);
    expect(calls).toBe(1);
  });
});
