/**
 * Assertions for contract tests: expect a revert with a decoded custom error (and its arguments), wait for a mined
 * transaction, find an event in a receipt. Addresses are compared case-insensitively everywhere.
 *
 * Reverts are decoded from the raw revert data against the errors of every AIC contract and test contract, because
 * an error raised by one contract often surfaces through another (an ERC721 error bubbling out of Plaza.buy).
 */
import {
  type Abi,
  type AbiEvent,
  decodeErrorResult,
  type Hash,
  type Hex,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
} from 'viem';
import { expect } from 'vitest';
import { artifacts } from '../../../src/artifacts/index.ts';
import * as receiverProbe from '../../artifacts/ERC721ReceiverProbe.ts';

const knownErrors: Abi = (() => {
  const seen = new Set<string>();
  const errors: Abi[number][] = [];
  for (const abi of [...Object.values(artifacts).map((a) => a.abi as Abi), receiverProbe.abi as Abi]) {
    for (const item of abi) {
      if (item.type !== 'error') continue;
      const key = `${item.name}(${item.inputs.map((i) => i.type).join(',')})`;
      if (!seen.has(key)) errors.push(item);
      seen.add(key);
    }
  }
  return errors;
})();

/** The raw revert data somewhere in an error's cause chain (viem wraps the provider's error several times). */
export function revertDataOf(error: unknown): Hex | undefined {
  for (let e = error as { data?: unknown; raw?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.raw === 'string' && e.raw.startsWith('0x')) return e.raw as Hex;
    if (typeof e.data === 'string' && e.data.startsWith('0x')) return e.data as Hex;
  }
  return undefined;
}

/** Lower-cases every string inside `value`, so checksummed and lower-case addresses compare equal. */
export function normalized(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalized);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalized(v)]));
  }
  return value;
}

async function revertOf(action: Promise<unknown>): Promise<Hex> {
  try {
    await action;
  } catch (error) {
    const data = revertDataOf(error);
    if (data === undefined) throw error;
    return data;
  }
  throw new Error('expected a revert, but the call succeeded');
}

/**
 * Expects `action` to revert with the custom error `errorName` (or `Error` for a reason string, `Panic` for a panic)
 * and, when given, exactly these arguments.
 */
export async function expectRevert(action: Promise<unknown>, errorName: string, args?: readonly unknown[]) {
  const data = await revertOf(action);
  let decoded: { errorName: string; args: readonly unknown[] | undefined };
  try {
    decoded = decodeErrorResult({ abi: knownErrors, data });
  } catch {
    throw new Error(`expected ${errorName}, got undecodable revert data ${data}`);
  }
  expect(decoded.errorName).toBe(errorName);
  if (args) expect(normalized(decoded.args ?? [])).toEqual(normalized(args));
}

/** Expects `action` to revert with no data at all (a bare `revert()` or a call into a missing function). */
export async function expectRevertWithoutReason(action: Promise<unknown>) {
  expect(await revertOf(action)).toBe('0x');
}

/** Waits for a sent transaction and checks that it succeeded. */
export async function mined(publicClient: PublicClient, send: Promise<Hash>): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await send, pollingInterval: 5 });
  expect(receipt.status).toBe('success');
  return receipt;
}

/** The arguments of every `eventName` emitted by `emitter` in `receipt`, in log order. */
export function eventsIn(
  receipt: TransactionReceipt,
  emitter: { address: Hex; abi: Abi },
  eventName: string,
): Record<string, unknown>[] {
  const logs = receipt.logs.filter((log) => log.address.toLowerCase() === emitter.address.toLowerCase());
  const events = emitter.abi.filter((item): item is AbiEvent => item.type === 'event' && item.name === eventName);
  if (events.length === 0) throw new Error(`no event ${eventName} in the ABI`);
  return parseEventLogs({ abi: events, logs, strict: true }).map((log) => log.args as Record<string, unknown>);
}

/** Expects an `eventName` from `emitter` in `receipt` whose arguments include `args`. */
export function expectEvent(
  receipt: TransactionReceipt,
  emitter: { address: Hex; abi: Abi },
  eventName: string,
  args: Record<string, unknown>,
) {
  const found = eventsIn(receipt, emitter, eventName);
  expect(found.length, `${eventName} events`).toBeGreaterThan(0);
  expect(normalized(found)).toContainEqual(expect.objectContaining(normalized(args) as Record<string, unknown>));
}

/** Expects no `eventName` from `emitter` in `receipt`. */
export function expectNoEvent(receipt: TransactionReceipt, emitter: { address: Hex; abi: Abi }, eventName: string) {
  expect(eventsIn(receipt, emitter, eventName)).toHaveLength(0);
}
