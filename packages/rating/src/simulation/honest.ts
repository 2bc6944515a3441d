/**
 * The honest population: GPU providers, dataset and model owners, storage nodes, and staked consumers who buy what
 * they need, rate some of it near its true quality, and buy AIC at / cash out to the exchange.
 */
import type { ResourceKind } from '../types.ts';
import { AIC, ECONOMY, type EpochLog, randomFor } from './economy.ts';

export interface HonestResource {
  id: string;
  kind: ResourceKind;
  owner: string;
  quality: number;
}

export interface HonestPopulation {
  resources: HonestResource[];
  consumers: string[];
  consumerStakeWei: bigint;
}

const COUNTS: Record<ResourceKind, number> = { gpu: 24, dataset: 12, model: 12, storage: 8 };
const CONSUMERS = 60;

/** Registers the population (epoch 0): resources, consumers funded by the exchange, consumer stakes. */
export function createHonestPopulation(seed: bigint, log: EpochLog): HonestPopulation {
  const resources: HonestResource[] = [];
  for (const kind of Object.keys(COUNTS) as ResourceKind[]) {
    for (let i = 0; i < COUNTS[kind]; i++) {
      const owner = `0xhonest-${kind}-${i}`;
      const id = `${kind}:honest-${i}`;
      resources.push({ id, kind, owner, quality: randomFor(seed, id, 0).int(60, 95) });
      log.register(id, kind, owner);
    }
  }
  const consumers = Array.from({ length: CONSUMERS }, (_, i) => `0xconsumer-${i}`);
  let consumerStakeWei = 0n;
  for (const consumer of consumers) {
    const stake = randomFor(seed, `stake:${consumer}`, 0).aic(1_000, 3_000);
    log.fund(ECONOMY.exchange, consumer, 100_000n * AIC);
    log.stake(consumer, stake);
    consumerStakeWei += stake;
  }
  return { resources, consumers, consumerStakeWei };
}

/** One epoch of honest demand: jobs, purchases and storage payments by consumers, some rated, then cash-outs. */
export function honestEpoch(seed: bigint, population: HonestPopulation, log: EpochLog): void {
  for (const resource of population.resources) {
    const rng = randomFor(seed, resource.id, log.epoch);
    const deals = resource.kind === 'gpu' ? rng.int(6, 14) : rng.int(8, 20);
    for (let d = 0; d < deals; d++) {
      const buyer = population.consumers[rng.int(0, population.consumers.length - 1)]!;
      buyHonestly(resource, buyer, rng, log);
    }
    log.fund(resource.owner, ECONOMY.exchange, 1n * AIC);
  }
}

function buyHonestly(resource: HonestResource, buyer: string, rng: ReturnType<typeof randomFor>, log: EpochLog) {
  if (resource.kind === 'gpu' || resource.kind === 'storage') {
    if (rng.chance(ECONOMY.honestFaultRate)) {
      log.outcome(resource.id, false); // refunded: no payment, reliability only
      return;
    }
  }
  const price = resource.kind === 'gpu' ? rng.aic(50, 150) : rng.aic(2, 30);
  log.pay(resource.id, buyer, price);
  log.work(resource.id, buyer, unitsFor(resource.kind, price));
  if (resource.kind === 'gpu' || resource.kind === 'storage') log.outcome(resource.id, true);
  if (rng.chance(0.3)) log.rate(resource.id, buyer, Math.max(0, Math.min(100, resource.quality + rng.int(-5, 5))));
}

/** Verified units a payment buys at the engine's default unit values (1 AIC per GPU unit, 0.1 per use…). */
export function unitsFor(kind: ResourceKind, priceWei: bigint): bigint {
  const unitWei = kind === 'gpu' ? AIC : kind === 'storage' ? AIC / 100n : AIC / 10n;
  return priceWei / unitWei;
}
