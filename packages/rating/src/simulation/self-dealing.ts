/**
 * Owners who buy their own resources to look used. Every purchase pays the 2.5 % fee to the treasury and the rest
 * comes back to the owner, so the attack's cost is the fees (and compute, where the work is real); its only possible
 * gain is PoV reward. The counterfactual is staying away.
 */
import type { ResourceKind } from '../types.ts';
import type { Attack } from './attack.ts';
import { AIC, ECONOMY, type EpochLog, feeOf, randomFor } from './economy.ts';
import { unitsFor } from './honest.ts';

type Funding = 'direct' | 'mule' | 'exchange';

/** Funds a Sybil the way the attacker chose: from the owner, through a mule, or through the exchange (invisible). */
function fundSybil(log: EpochLog, owner: string, sybil: string, via: Funding, amountWei: bigint): void {
  if (via === 'direct') log.fund(owner, sybil, amountWei);
  if (via === 'mule') {
    log.fund(owner, `${sybil}-mule`, amountWei);
    log.fund(`${sybil}-mule`, sybil, amountWei);
  }
  if (via === 'exchange') log.fund(ECONOMY.exchange, sybil, amountWei);
}

/** A dataset owner buying its own data through ten Sybils (4 funded directly, 3 through mules, 3 via the exchange). */
export function createSelfDealingDataset(): Attack {
  const owner = '0xattacker-selfdeal';
  const resource = 'dataset:selfdeal';
  const sybils = Array.from({ length: 10 }, (_, i) => ({
    address: `0xselfdeal-sybil-${i}`,
    via: (i < 4 ? 'direct' : i < 7 ? 'mule' : 'exchange') as Funding,
  }));
  return {
    name: 'self-dealing dataset owner (10 Sybil buyers)',
    addresses: [owner],
    setup({ log }) {
      log.register(resource, 'dataset', owner);
    },
    runEpoch({ seed, log, honest, malicious }) {
      const rng = randomFor(seed, resource, log.epoch);
      for (let d = rng.int(8, 20); d > 0; d--) {
        const buyer = honest.consumers[rng.int(0, honest.consumers.length - 1)]!;
        buyAndRate(log, resource, 'dataset', buyer, rng.aic(2, 30), rng.chance(0.3) ? 55 + rng.int(-5, 5) : undefined);
      }
      // Honest sales are the same in both worlds and cancel out of the profit; only the wash purchases differ.
      if (!malicious) return 0n;
      let net = 0n;
      for (const sybil of sybils) {
        const price = rng.aic(100, 300);
        fundSybil(log, owner, sybil.address, sybil.via, price);
        buyAndRate(log, resource, 'dataset', sybil.address, price, 100);
        net -= feeOf(price, ECONOMY.plazaFeeBps); // the rest of the price comes back to the owner
      }
      return net;
    },
  };
}

/**
 * Eight Sybil GPU nodes and eight Sybil requesters funded via the exchange (links invisible). The requester does not
 * choose its provider: the Resource Allocator places each job, modelled here as a uniform draw over the class's
 * providers, so most self-requested jobs land on (and pay) honest providers.
 */
export function createSybilProviders(): Attack {
  const operator = '0xattacker-sybilops';
  const nodes = Array.from({ length: 8 }, (_, i) => ({ owner: `0xsybil-node-${i}`, resource: `gpu:sybil-${i}` }));
  return {
    name: 'Sybil providers (8 nodes, self-requested jobs)',
    addresses: [operator, ...nodes.map((n) => n.owner)],
    setup({ log }) {
      for (const node of nodes) {
        log.register(node.resource, 'gpu', node.owner);
        log.fund(operator, node.owner, ECONOMY.minStakeClass0Wei);
      }
    },
    runEpoch({ seed, log, honest, malicious }) {
      if (!malicious) return 0n;
      const honestGpus = honest.resources.filter((r) => r.kind === 'gpu').map((r) => r.id);
      const providers = [...honestGpus, ...nodes.map((n) => n.resource)];
      const own = new Set(nodes.map((n) => n.resource));
      let net = 0n;
      nodes.forEach((node, i) => {
        const rng = randomFor(seed, node.resource, log.epoch);
        const requester = `0xsybil-requester-${i}`;
        for (let job = rng.int(4, 8); job > 0; job--) {
          const price = rng.aic(50, 150);
          const provider = providers[rng.int(0, providers.length - 1)]!;
          log.fund(ECONOMY.exchange, requester, price);
          log.pay(provider, requester, price);
          log.work(provider, requester, unitsFor('gpu', price));
          log.outcome(provider, true);
          // On its own node the price comes back less the fee, and the operator pays the compute; elsewhere it is gone.
          net -= own.has(provider) ? feeOf(price, ECONOMY.protocolFeeBps + ECONOMY.computeCostBps) : price;
        }
      });
      return net;
    },
  };
}

/** Four model-NFT owners buying each other's uses in a ring (A→B→C→D→A), all funded via the exchange. */
export function createWashTradingRing(): Attack {
  const owners = Array.from({ length: 4 }, (_, i) => ({ owner: `0xwash-${i}`, resource: `model:wash-${i}` }));
  return {
    name: 'wash-trading NFT owners (4-owner ring)',
    addresses: owners.map((o) => o.owner),
    setup({ log }) {
      for (const o of owners) {
        log.register(o.resource, 'model', o.owner);
        log.fund(ECONOMY.exchange, o.owner, 10_000n * AIC);
      }
    },
    runEpoch({ seed, log, malicious }) {
      if (!malicious) return 0n;
      let net = 0n;
      owners.forEach((buyer, i) => {
        const seller = owners[(i + 1) % owners.length]!;
        const price = randomFor(seed, buyer.resource, log.epoch).aic(300, 700);
        buyAndRate(log, seller.resource, 'model', buyer.owner, price, 100);
        net -= feeOf(price, ECONOMY.plazaFeeBps);
      });
      return net;
    },
  };
}

/** A purchase (UsesBought / JobSettled) with its verified units and an optional rating. */
export function buyAndRate(
  log: EpochLog,
  resource: string,
  kind: ResourceKind,
  buyer: string,
  priceWei: bigint,
  rating: number | undefined,
): void {
  log.pay(resource, buyer, priceWei);
  log.work(resource, buyer, unitsFor(kind, priceWei));
  if (rating !== undefined) log.rate(resource, buyer, Math.max(0, Math.min(100, rating)));
}
