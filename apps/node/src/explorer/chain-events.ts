/**
 * Every event of the AIC contracts (Payroll and DataRequests included) in a block range, decoded, in chain order, with
 * its transaction hash and block time: the raw material of the Explorer and of the dashboards' earnings. Arguments are
 * JSON-safe (uint as decimal text) so the same value is cached, aggregated and served.
 */
import { artifacts, type ContractName, type LedgerClient } from '@aic/ledger';
import { type Abi, decodeEventLog, type Hex } from 'viem';

export interface ChainEvent {
  readonly contract: ContractName;
  readonly event: string;
  /** Decoded arguments; integers as decimal strings, addresses as the chain spells them. */
  readonly args: Readonly<Record<string, JsonValue>>;
  readonly block: number;
  readonly logIndex: number;
  readonly tx: Hex;
  /** Block timestamp, unix seconds. */
  readonly time: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** bigint → decimal text, recursively (viem decodes uints as bigint and structs as objects). */
export function jsonSafe(value: unknown): JsonValue {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return value;
  }
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return String(value);
}

type EventReader = Pick<LedgerClient, 'publicClient' | 'deployment'>;

/** Decoded events of every AIC contract in [fromBlock, toBlock]; logs no AIC ABI knows are skipped. */
export async function fetchChainEvents(ledger: EventReader, fromBlock: bigint, toBlock: bigint): Promise<ChainEvent[]> {
  const byAddress = new Map<string, ContractName>(
    (Object.entries(ledger.deployment.contracts) as Array<[ContractName, string]>).map(([name, address]) => [
      address.toLowerCase(),
      name,
    ]),
  );
  const logs = await ledger.publicClient.getLogs({
    address: [...byAddress.keys()] as Hex[],
    fromBlock,
    toBlock,
  });
  const times = new Map<bigint, number>();
  const events: ChainEvent[] = [];
  for (const log of logs) {
    const contract = byAddress.get(log.address.toLowerCase());
    if (contract === undefined || log.blockNumber === null || log.transactionHash === null) continue;
    let decoded: { eventName: string; args: unknown };
    try {
      decoded = decodeEventLog({ abi: artifacts[contract].abi as Abi, data: log.data, topics: log.topics });
    } catch {
      continue; // an event no AIC ABI declares (cannot happen for our own contracts; never fatal)
    }
    let time = times.get(log.blockNumber);
    if (time === undefined) {
      time = Number((await ledger.publicClient.getBlock({ blockNumber: log.blockNumber })).timestamp);
      times.set(log.blockNumber, time);
    }
    events.push({
      contract,
      event: decoded.eventName,
      args: jsonSafe(decoded.args ?? {}) as Record<string, JsonValue>,
      block: Number(log.blockNumber),
      logIndex: log.logIndex ?? 0,
      tx: log.transactionHash,
      time,
    });
  }
  return events.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
}
