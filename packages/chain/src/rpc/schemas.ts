/**
 * Request shapes of the JSON-RPC methods (zod): quantities, data, addresses, block tags, call objects, log filters.
 * A parse failure becomes -32602 with the field that failed.
 */
import { z } from 'zod';

const hexData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'hex data with an even number of digits');
export const quantity = z
  .string()
  .regex(/^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/, 'a hex quantity without leading zeros')
  .transform((v) => BigInt(v));
export const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 20-byte hex address');
export const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 32-byte hex hash');
export const data = hexData;

export const blockTag = z.union([
  z.enum(['latest', 'pending', 'earliest', 'safe', 'finalized']),
  quantity,
  z.object({ blockHash: hash32 }).transform((v) => ({ blockHash: v.blockHash })),
  z.object({ blockNumber: quantity }).transform((v) => v.blockNumber),
]);
export type BlockTag = z.output<typeof blockTag>;

/** An eth_call / eth_estimateGas transaction object (fees are ignored: calls run with fees off). */
export const callObject = z.object({
  from: address.optional(),
  to: address.nullable().optional(),
  gas: quantity.optional(),
  gasPrice: quantity.optional(),
  maxFeePerGas: quantity.optional(),
  maxPriorityFeePerGas: quantity.optional(),
  value: quantity.optional(),
  data: hexData.optional(),
  input: hexData.optional(),
  nonce: quantity.optional(),
  type: z.string().optional(),
  accessList: z.array(z.unknown()).optional(),
  chainId: quantity.optional(),
});

const topic = z.union([hash32, z.null(), z.array(hash32)]);
export const logFilter = z.object({
  fromBlock: blockTag.optional(),
  toBlock: blockTag.optional(),
  address: z.union([address, z.array(address)]).optional(),
  topics: z.array(topic).max(4).optional(),
  blockHash: hash32.optional(),
});
export type LogFilter = z.output<typeof logFilter>;

export const rpcRequest = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string(),
  params: z.array(z.unknown()).optional(),
});

/** Positional params: a tuple schema; trailing optional params may be omitted by the caller. */
export function params<T extends z.ZodTuple>(schema: T, raw: unknown[]): z.output<T> {
  return schema.parse(raw) as z.output<T>;
}
