/**
 * Issue 18 item 1: the devnet's JSON-RPC for other processes refuses unlocked-account and test methods (single
 * requests and inside batches) without the chain ever seeing them, answers malformed input with JSON-RPC errors,
 * and its fault option fails about the fraction of requests it is given.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkRpcMethod } from '../../src/rpc-guard.ts';
import { type DevnetServer, startDevnetServer } from '../../src/rpc-server.ts';

/** A chain stub that records what reached it. */
function fakeChain() {
  const seen: string[] = [];
  return {
    seen,
    handleJsonRpc: async (request: unknown) => {
      const { id, method } = request as { id: number; method: string };
      seen.push(method);
      return { jsonrpc: '2.0' as const, id, result: `ok:${method}` };
    },
  };
}

const post = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};
const call = (id: number, method: string, params: unknown[] = []) => ({ jsonrpc: '2.0', id, method, params });

describe('the devnet RPC guard', () => {
  let server: DevnetServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each([
    'eth_sendTransaction',
    'eth_sign',
    'eth_signTransaction',
    'eth_signTypedData_v4',
    'personal_sign',
    'personal_unlockAccount',
    'hardhat_setBalance',
    'hardhat_impersonateAccount',
    'evm_increaseTime',
    'evm_setNextBlockTimestamp',
    'evm_mine',
    'debug_traceTransaction',
  ])('refuses %s with a JSON-RPC error and never passes it to the chain', async (method) => {
    const chain = fakeChain();
    server = await startDevnetServer({ chain, port: 0 });
    const { status, body } = await post(server.url, call(7, method));
    expect(status).toBe(200);
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32601 } });
    expect((body as { error: { message: string } }).error.message).toMatch(
      new RegExp(`^aic devnet: ${method} is refused`),
    );
    expect(chain.seen).toEqual([]);
    expect(server.stats().refused).toBe(1);
  });

  it('serves reads and raw transactions, and answers eth_accounts with no accounts', async () => {
    const chain = fakeChain();
    server = await startDevnetServer({ chain, port: 0 });
    for (const method of ['eth_blockNumber', 'eth_call', 'eth_sendRawTransaction', 'eth_getLogs', 'net_version']) {
      expect((await post(server.url, call(1, method))).body).toEqual({ jsonrpc: '2.0', id: 1, result: `ok:${method}` });
    }
    expect((await post(server.url, call(2, 'eth_accounts'))).body).toEqual({ jsonrpc: '2.0', id: 2, result: [] });
    expect(chain.seen).not.toContain('eth_accounts');
  });

  it('filters each request of a batch on its own, keeping ids and order', async () => {
    const chain = fakeChain();
    server = await startDevnetServer({ chain, port: 0 });
    const { body } = await post(server.url, [
      call(1, 'eth_blockNumber'),
      call(2, 'hardhat_setBalance', ['0x0000000000000000000000000000000000000001', '0x1']),
      call(3, 'eth_chainId'),
      call(4, 'eth_sendTransaction', [{}]),
    ]);
    const answers = body as { id: number; result?: string; error?: { code: number } }[];
    expect(answers.map((a) => a.id)).toEqual([1, 2, 3, 4]);
    expect(answers[0]!.result).toBe('ok:eth_blockNumber');
    expect(answers[1]!.error?.code).toBe(-32601);
    expect(answers[2]!.result).toBe('ok:eth_chainId');
    expect(answers[3]!.error?.code).toBe(-32601);
    expect(chain.seen).toEqual(['eth_blockNumber', 'eth_chainId']);
  });

  it('answers malformed JSON, an empty batch and a request without a method with JSON-RPC errors', async () => {
    const chain = fakeChain();
    server = await startDevnetServer({ chain, port: 0 });
    expect((await post(server.url, '{nope')).body).toMatchObject({ id: null, error: { code: -32700 } });
    expect((await post(server.url, [])).body).toMatchObject({ id: null, error: { code: -32600 } });
    expect((await post(server.url, { jsonrpc: '2.0', id: 5 })).body).toMatchObject({ id: 5, error: { code: -32600 } });
    expect(chain.seen).toEqual([]);
    // and it keeps serving
    expect((await post(server.url, call(6, 'eth_blockNumber'))).body).toMatchObject({ result: 'ok:eth_blockNumber' });
  });

  it('lets a test allow one extra method explicitly', async () => {
    const chain = fakeChain();
    server = await startDevnetServer({ chain, port: 0, extraMethods: new Set(['evm_increaseTime']) });
    expect((await post(server.url, call(1, 'evm_increaseTime', [10]))).body).toMatchObject({
      result: 'ok:evm_increaseTime',
    });
    expect((await post(server.url, call(2, 'hardhat_setBalance'))).body).toMatchObject({ error: { code: -32601 } });
  });

  it('serves its routes and answers unknown paths with a 404 in the API error format', async () => {
    server = await startDevnetServer({
      chain: fakeChain(),
      port: 0,
      routes: { 'POST /echo': async (body) => ({ status: 201, body: { got: body } }) },
    });
    expect(await post(`${server.url}/echo`, { a: 1 })).toEqual({ status: 201, body: { got: { a: 1 } } });
    const missing = await post(`${server.url}/nowhere`, {});
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'DEVNET_NOT_FOUND' });
  });

  it('fails about the given fraction of requests on purpose (dropped connections and 503s), seeded', async () => {
    const chain = fakeChain();
    server = await startDevnetServer({ chain, port: 0, faultRate: 0.1, faultSeed: 42n });
    let failed = 0;
    for (let i = 0; i < 300; i++) {
      try {
        const { status } = await post(server.url, call(i, 'eth_blockNumber'));
        if (status !== 200) failed++;
      } catch {
        failed++; // fetch failed: the connection was dropped
      }
    }
    expect(server.stats().faults).toBe(failed);
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(50);
  });

  it('classifies methods by namespace', () => {
    expect(checkRpcMethod('eth_getBalance')).toEqual({ allowed: true });
    expect(checkRpcMethod('web3_clientVersion')).toEqual({ allowed: true });
    expect(checkRpcMethod('anvil_setBalance').allowed).toBe(false);
    expect(checkRpcMethod('miner_start').allowed).toBe(false);
  });
});
