/**
 * Fresh payer accounts (issue 15: canaries nobody can tell apart). Every job a node escrows — a requester's real job
 * as much as a coordinator's canary — is paid by a key that never sent a transaction before, funded from the node's
 * main account by an ordinary AIC transfer (and a little gas money) a random number of blocks before its escrow,
 * with an amount that does not give the escrow away. Because real jobs and canaries are paid the same way, a
 * verifier that looks at the payer's history (first transaction? funding age? funding amount?) sees one
 * distribution.
 *
 * The keys are kept as Web3 keystore files in the node's data dir, encrypted under a secret the node derives from its
 * own key (so only this node opens them and nothing extra has to be stored or typed); they are never logged. A key is
 * fresh exactly when the chain says its nonce is 0: after a restart a funded, never-used key that nobody reserved is
 * taken as the next payer instead of funding another.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pause } from '@aic/core';
import { decryptKeystore, encryptKeystore, keystoreAddress, privateKeyBytesToAddress } from '@aic/core/keystore';
import type { LedgerClient } from '@aic/ledger';
import type { Address } from 'viem';
import { createSerialQueue } from '../chain/serial.ts';
import type { AgentContext } from './context.ts';

/** What the node gives an agent for its payer accounts. */
export interface FreshPayerPort {
  /** Where the payer keys are kept (encrypted). */
  dir: string;
  /** The secret the keys are encrypted with (derived from the node's key; never printed). */
  secret: string;
  /** A ledger client signing with `privateKey` (the node's RPC and deployment). */
  connect(privateKey: Uint8Array): Promise<LedgerClient>;
}

export interface FreshPayer {
  address: Address;
  ledger: LedgerClient;
}

/**
 * The lead between a payer's funding and its escrow, in blocks: at least `minBlocks` (the funding is never in the
 * escrow's own block or the one before), plus an exponential part of mean `meanExtraBlocks` capped at `maxExtraBlocks`,
 * drawn anew for every payer of every kind, so the age of the funding says nothing of the job.
 */
export const PAYER_LEAD = { minBlocks: 3, meanExtraBlocks: 4, maxExtraBlocks: 20 } as const;
/** Gas money sent with the AIC: a create-and-fund, a preemption, a withdraw and the sweep cost well under 1e6 gas. */
const GAS_WEI = 10n ** 16n;
/** The keys are high-entropy and the secret is a hash: the keystore's KDF need not be slow. */
const SCRYPT_N = 1 << 12;
const AIC = 10n ** 18n;

/** Blocks to wait after funding before the escrow (see PAYER_LEAD). */
export function leadBlocks(random: () => number): bigint {
  const extra = Math.min(PAYER_LEAD.maxExtraBlocks, Math.floor(-Math.log(1 - random()) * PAYER_LEAD.meanExtraBlocks));
  return BigInt(PAYER_LEAD.minBlocks + extra);
}

/** A funding amount that does not give the escrow away: `needWei` × [1.2, 2), rounded up to a whole AIC. */
export function fundingFor(needWei: bigint, random: () => number): bigint {
  const scaled = (needWei * BigInt(1_200 + Math.floor(random() * 800))) / 1_000n;
  return ((scaled + AIC - 1n) / AIC) * AIC;
}

/** Addresses (lowercased) of every payer kept under `port`, in use or retired: e.g. to find which paid for what. */
export async function payerAddresses(port: FreshPayerPort): Promise<string[]> {
  const names = async (dir: string) =>
    (await readdir(dir).catch(() => [] as string[])).filter((n) => PAYER_FILE.test(n)).map((n) => n.slice(0, -5));
  return [...(await names(port.dir)), ...(await names(join(port.dir, 'retired')))].sort();
}

/** A payer kept under `port` by address, its key opened from the keystore (in use or retired); undefined if none. */
export async function openPayer(port: FreshPayerPort, address: string): Promise<FreshPayer | undefined> {
  const opened = await readPayerKey(port, address.toLowerCase());
  return opened && { address: opened.address, ledger: await port.connect(opened.privateKey) };
}

const PAYER_FILE = /^0x[0-9a-f]{40}\.json$/;

async function readPayerKey(
  port: FreshPayerPort,
  address: string,
): Promise<{ address: Address; privateKey: Uint8Array } | undefined> {
  const read = (dir: string) => readFile(join(dir, `${address}.json`), 'utf8').catch(() => undefined);
  const text = (await read(port.dir)) ?? (await read(join(port.dir, 'retired')));
  if (text === undefined) return undefined;
  const keystore = JSON.parse(text);
  return { address: keystoreAddress(keystore), privateKey: await decryptKeystore(keystore, port.secret) };
}

export class FreshPayers {
  /** Addresses of this node's payers of this kind (used or not), lowercased. */
  readonly #known = new Set<string>();
  /** Payers handed out by this process (never handed out twice). */
  readonly #taken = new Set<string>();
  /** Payers the chain showed a transaction of: never fresh again (not asked again). */
  readonly #spent = new Set<string>();
  #loaded: Promise<void> | undefined;
  /** One selection at a time: two takes must not pick the same spare. */
  readonly #select = createSerialQueue();

  constructor(
    private readonly ctx: AgentContext,
    private readonly port: FreshPayerPort,
    /** What the log lines call these accounts ('canary payer', 'job payer'). */
    private readonly kind: string,
    private readonly random: () => number = Math.random,
  ) {}

  /** Reads which payer keys exist (their addresses are the file names; the keys stay encrypted until used). */
  async load(): Promise<void> {
    this.#loaded ??= (async () => {
      for (const name of await this.#files(this.port.dir)) this.#known.add(name.slice(0, -'.json'.length));
      for (const name of await this.#files(this.#retiredDir)) {
        const address = name.slice(0, -'.json'.length);
        this.#known.add(address);
        this.#spent.add(address);
      }
    })();
    await this.#loaded;
  }

  /** Whether `address` is one of these payers (after {@link load} or a take). */
  isPayer(address: string): boolean {
    return this.#known.has(address.toLowerCase());
  }

  /**
   * A payer that never sent a transaction, holding at least `needWei` AIC, whose funding is a random lead of blocks
   * old. `prefer` (a payer bound to the same ticket before a crash) is used again while its nonce is 0, so a repeated
   * escrow of one ticket can land once only; else a funded, unused spare that `reserved` does not name; else a new
   * key, funded now.
   */
  async take(
    needWei: bigint,
    signal: AbortSignal,
    options: { prefer?: Address; reserved?: ReadonlySet<string> } = {},
  ): Promise<FreshPayer> {
    const chosen = await this.#select(() => this.#choose(needWei, options));
    const lead = leadBlocks(this.random);
    const { publicClient } = this.ctx.ledger;
    while ((await publicClient.getBlockNumber()) < chosen.fundedAt + lead) {
      if (!(await pause(250, signal))) throw signal.reason;
    }
    return { address: chosen.address, ledger: await this.port.connect(chosen.privateKey) };
  }

  /** A payer of this node by address (its key from the keystore), e.g. to preempt or sweep a job it paid. */
  async open(address: string): Promise<FreshPayer | undefined> {
    return await openPayer(this.port, address);
  }

  /**
   * Brings what a used payer holds back to the node's main account: its market credit (a refund, a slashed stake)
   * withdrawn, then its AIC transferred. Its gas money stays (it is the price of one more account). Repeating it is
   * harmless. Its key then moves to `retired/` (kept, encrypted): a later take does not ask the chain about it again.
   */
  async sweep(payer: FreshPayer): Promise<bigint> {
    const { market, token } = payer.ledger;
    if ((await market.read.owed([payer.address])) > 0n) {
      await payer.ledger.confirm(`${this.kind} withdraw`, () => market.write.withdraw());
    }
    const balance = await payer.ledger.balanceOf(payer.address);
    if (balance > 0n) {
      const to = this.ctx.ledger.account();
      await payer.ledger.confirm(`${this.kind} sweep`, () => token.write.transfer([to, balance]));
      this.ctx.log.info({ amountWei: String(balance) }, `${this.kind} swept back`);
    }
    await this.#retire(payer.address.toLowerCase());
    return balance;
  }

  async #choose(
    needWei: bigint,
    options: { prefer?: Address; reserved?: ReadonlySet<string> },
  ): Promise<{ address: Address; privateKey: Uint8Array; fundedAt: bigint }> {
    await this.load();
    const { ledger } = this.ctx;
    const candidates = [
      ...(options.prefer ? [options.prefer.toLowerCase()] : []),
      ...[...this.#known].filter((a) => a !== options.prefer?.toLowerCase() && !options.reserved?.has(a)).sort(),
    ];
    for (const address of candidates) {
      if (this.#spent.has(address)) continue;
      if (this.#taken.has(address) && address !== options.prefer?.toLowerCase()) continue;
      const nonce = await ledger.publicClient.getTransactionCount({ address: address as Address });
      if (nonce !== 0) {
        this.#spent.add(address);
        continue;
      }
      const balance = await ledger.balanceOf(address as Address);
      // A spare must be funded already; the preferred one may be topped up (its ticket is bound to it).
      if (balance === 0n && address !== options.prefer?.toLowerCase()) continue;
      const opened = await this.#key(address);
      if (!opened) continue;
      this.#taken.add(address);
      if (balance >= needWei) return { ...opened, fundedAt: 0n };
      const fundedAt = await this.#transfer(opened.address, fundingFor(needWei - balance, this.random), 0n);
      return { ...opened, fundedAt };
    }
    return await this.#fundNew(fundingFor(needWei, this.random));
  }

  async #key(address: string): Promise<{ address: Address; privateKey: Uint8Array } | undefined> {
    return await readPayerKey(this.port, address);
  }

  /** A new key, saved encrypted before any money is sent to it, then funded by ordinary transfers. */
  async #fundNew(amountWei: bigint): Promise<{ address: Address; privateKey: Uint8Array; fundedAt: bigint }> {
    const privateKey = crypto.getRandomValues(new Uint8Array(32));
    const address = privateKeyBytesToAddress(privateKey);
    const keystore = await encryptKeystore(privateKey, this.port.secret, { scryptN: SCRYPT_N });
    await mkdir(this.port.dir, { recursive: true, mode: 0o700 });
    await writeFile(join(this.port.dir, `${address.toLowerCase()}.json`), JSON.stringify(keystore), { mode: 0o600 });
    this.#known.add(address.toLowerCase());
    this.#taken.add(address.toLowerCase());
    const fundedAt = await this.#transfer(address, amountWei, GAS_WEI);
    return { address, privateKey, fundedAt };
  }

  /** Sends AIC (and gas money) from the node's main account, in its serialized queue (its nonces); resolves to the
   * block of the AIC transfer. */
  async #transfer(to: Address, aicWei: bigint, gasWei: bigint): Promise<bigint> {
    const { ledger } = this.ctx;
    ledger.account(); // a read-only client throws here (typed): payers need the node's key
    const wallet = ledger.walletClient as NonNullable<typeof ledger.walletClient>;
    if (gasWei > 0n) {
      await this.ctx.send(() =>
        ledger.confirm(`${this.kind} gas`, () =>
          wallet.sendTransaction({ account: wallet.account, chain: wallet.chain, to, value: gasWei }),
        ),
      );
    }
    const receipt = await this.ctx.send(() =>
      ledger.confirm(`${this.kind} funding`, () => ledger.token.write.transfer([to, aicWei])),
    );
    return receipt.blockNumber;
  }

  get #retiredDir(): string {
    return join(this.port.dir, 'retired');
  }

  /** A swept payer's key out of the spare candidates (a missing file: moved already). */
  async #retire(address: string): Promise<void> {
    this.#spent.add(address);
    await mkdir(this.#retiredDir, { recursive: true, mode: 0o700 });
    await rename(join(this.port.dir, `${address}.json`), join(this.#retiredDir, `${address}.json`)).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    );
  }

  async #files(dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return (await readdir(dir)).filter((n) => PAYER_FILE.test(n)).sort();
  }
}
