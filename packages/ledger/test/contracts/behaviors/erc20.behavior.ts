/**
 * ERC20 + EIP-2612 behaviour shared by every ERC20 of AIC, after OpenZeppelin's ERC20.behavior.js and
 * ERC20Permit.test.js: balances, transfers, allowances, permit and the EIP-712 domain, with the ERC-6093 custom errors
 * and their arguments. Call inside a `describe` whose `beforeEach` resets the chain; the context getter is read lazily,
 * so it may be filled in a `beforeAll`.
 */
import {
  type Account,
  type Address,
  type Chain,
  domainSeparator,
  getContract,
  type Hex,
  hexToBigInt,
  maxUint256,
  type PublicClient,
  parseAbi,
  parseSignature,
  recoverTypedDataAddress,
  type Transport,
  toHex,
  type WalletClient,
  zeroAddress,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { expectEvent, expectNoEvent, expectRevert, mined } from './chain-assertions.ts';

/** What any OpenZeppelin 5 ERC20Permit exposes: the interface the behaviour is written against. */
export const erc20PermitAbi = parseAbi([
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function totalSupply() view returns (uint256)',
  'function balanceOf(address account) view returns (uint256)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function transfer(address to, uint256 value) returns (bool)',
  'function approve(address spender, uint256 value) returns (bool)',
  'function transferFrom(address from, address to, uint256 value) returns (bool)',
  'function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)',
  'function nonces(address owner) view returns (uint256)',
  'function DOMAIN_SEPARATOR() view returns (bytes32)',
  'function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
]);

export type TestWallet = WalletClient<Transport, Chain, Account>;

export interface Erc20Context {
  publicClient: PublicClient;
  token: Address;
  /** A wallet signing as `account` (a dev account the chain signs for). */
  wallet(account: Address): TestWallet;
  /** Holds `initialBalance`; the other two accounts are signers too. */
  holder: Address;
  recipient: Address;
  spender: Address;
  initialBalance: bigint;
  totalSupply: bigint;
  metadata: { name: string; symbol: string; decimals: number; eip712Version: string };
}

type Ctx = () => Erc20Context;

function tokenAs(c: Erc20Context, account: Address) {
  return getContract({
    address: c.token,
    abi: erc20PermitAbi,
    client: { public: c.publicClient, wallet: c.wallet(account) },
  });
}

function emitter(c: Erc20Context) {
  return { address: c.token, abi: erc20PermitAbi };
}

/** The ERC20 behaviour: metadata, supply, balances, transfer, transferFrom, approve. */
export function shouldBehaveLikeERC20(ctx: Ctx) {
  describe('metadata and supply', () => {
    it('has its name, symbol and decimals', async () => {
      const c = ctx();
      const t = tokenAs(c, c.holder);
      expect(await t.read.name()).toBe(c.metadata.name);
      expect(await t.read.symbol()).toBe(c.metadata.symbol);
      expect(await t.read.decimals()).toBe(c.metadata.decimals);
    });

    it('returns the total supply', async () => {
      const c = ctx();
      expect(await tokenAs(c, c.holder).read.totalSupply()).toBe(c.totalSupply);
    });

    it('returns zero for an account that holds nothing and the balance of one that does', async () => {
      const c = ctx();
      const t = tokenAs(c, c.holder);
      expect(await t.read.balanceOf(['0x000000000000000000000000000000000000dEaD'])).toBe(0n);
      expect(await t.read.balanceOf([c.holder])).toBe(c.initialBalance);
    });
  });

  describe('transfer', () => {
    shouldBehaveLikeERC20Transfer(ctx, (c, from, to, value) => tokenAs(c, from).write.transfer([to, value]));
  });

  describe('transferFrom', () => {
    shouldBehaveLikeERC20TransferFrom(ctx);
  });

  describe('approve', () => {
    shouldBehaveLikeERC20Approve(ctx);
  });
}

type TransferFn = (c: Erc20Context, from: Address, to: Address, value: bigint) => Promise<Hex>;

/** Moving tokens from the holder, whichever way (`transfer`, or `transferFrom` by an approved spender). */
export function shouldBehaveLikeERC20Transfer(ctx: Ctx, transfer: TransferFn) {
  it('reverts with ERC20InsufficientBalance when the sender does not have enough balance', async () => {
    const c = ctx();
    const value = c.initialBalance + 1n;
    await expectRevert(transfer(c, c.holder, c.recipient, value), 'ERC20InsufficientBalance', [
      c.holder,
      c.initialBalance,
      value,
    ]);
  });

  it('moves the whole balance and emits Transfer', async () => {
    const c = ctx();
    const t = tokenAs(c, c.holder);
    const before = await t.read.balanceOf([c.recipient]);
    const receipt = await mined(c.publicClient, transfer(c, c.holder, c.recipient, c.initialBalance));
    expect(await t.read.balanceOf([c.holder])).toBe(0n);
    expect(await t.read.balanceOf([c.recipient])).toBe(before + c.initialBalance);
    expectEvent(receipt, emitter(c), 'Transfer', { from: c.holder, to: c.recipient, value: c.initialBalance });
  });

  it('transfers a zero amount and still emits Transfer', async () => {
    const c = ctx();
    const t = tokenAs(c, c.holder);
    const receipt = await mined(c.publicClient, transfer(c, c.holder, c.recipient, 0n));
    expect(await t.read.balanceOf([c.holder])).toBe(c.initialBalance);
    expectEvent(receipt, emitter(c), 'Transfer', { from: c.holder, to: c.recipient, value: 0n });
  });

  it('reverts with ERC20InvalidReceiver when the recipient is the zero address', async () => {
    const c = ctx();
    await expectRevert(transfer(c, c.holder, zeroAddress, c.initialBalance), 'ERC20InvalidReceiver', [zeroAddress]);
  });
}

function shouldBehaveLikeERC20TransferFrom(ctx: Ctx) {
  describe('when the spender has enough allowance', () => {
    shouldBehaveLikeERC20Transfer(ctx, async (c, from, to, value) => {
      await mined(c.publicClient, tokenAs(c, from).write.approve([c.spender, c.initialBalance + 1n]));
      return tokenAs(c, c.spender).write.transferFrom([from, to, value]);
    });

    it('decreases the allowance by the amount moved, emitting no Approval', async () => {
      const c = ctx();
      await mined(c.publicClient, tokenAs(c, c.holder).write.approve([c.spender, c.initialBalance]));
      const receipt = await mined(
        c.publicClient,
        tokenAs(c, c.spender).write.transferFrom([c.holder, c.recipient, c.initialBalance / 4n]),
      );
      const t = tokenAs(c, c.holder);
      expect(await t.read.allowance([c.holder, c.spender])).toBe(c.initialBalance - c.initialBalance / 4n);
      expectNoEvent(receipt, emitter(c), 'Approval');
      expectEvent(receipt, emitter(c), 'Transfer', { from: c.holder, to: c.recipient, value: c.initialBalance / 4n });
    });
  });

  it('reverts with ERC20InsufficientAllowance when the spender has too little allowance', async () => {
    const c = ctx();
    const allowance = c.initialBalance - 1n;
    await mined(c.publicClient, tokenAs(c, c.holder).write.approve([c.spender, allowance]));
    await expectRevert(
      tokenAs(c, c.spender).write.transferFrom([c.holder, c.recipient, c.initialBalance]),
      'ERC20InsufficientAllowance',
      [c.spender, allowance, c.initialBalance],
    );
  });

  it('reports the allowance, not the balance, when both are short', async () => {
    const c = ctx();
    await expectRevert(
      tokenAs(c, c.spender).write.transferFrom([c.holder, c.recipient, c.initialBalance + 1n]),
      'ERC20InsufficientAllowance',
      [c.spender, 0n, c.initialBalance + 1n],
    );
  });

  it('does not decrease an infinite allowance', async () => {
    const c = ctx();
    await mined(c.publicClient, tokenAs(c, c.holder).write.approve([c.spender, maxUint256]));
    const receipt = await mined(
      c.publicClient,
      tokenAs(c, c.spender).write.transferFrom([c.holder, c.recipient, c.initialBalance]),
    );
    expect(await tokenAs(c, c.holder).read.allowance([c.holder, c.spender])).toBe(maxUint256);
    expectNoEvent(receipt, emitter(c), 'Approval');
  });

  it('reverts with ERC20InvalidApprover when the token owner is the zero address', async () => {
    const c = ctx();
    await expectRevert(
      tokenAs(c, c.spender).write.transferFrom([zeroAddress, c.recipient, 0n]),
      'ERC20InvalidApprover',
      [zeroAddress],
    );
  });
}

function shouldBehaveLikeERC20Approve(ctx: Ctx) {
  it('sets the allowance and emits Approval', async () => {
    const c = ctx();
    const receipt = await mined(c.publicClient, tokenAs(c, c.holder).write.approve([c.spender, 42n]));
    expect(await tokenAs(c, c.holder).read.allowance([c.holder, c.spender])).toBe(42n);
    expectEvent(receipt, emitter(c), 'Approval', { owner: c.holder, spender: c.spender, value: 42n });
  });

  it('replaces an existing allowance rather than adding to it', async () => {
    const c = ctx();
    await mined(c.publicClient, tokenAs(c, c.holder).write.approve([c.spender, 1n]));
    await mined(c.publicClient, tokenAs(c, c.holder).write.approve([c.spender, c.initialBalance * 2n]));
    expect(await tokenAs(c, c.holder).read.allowance([c.holder, c.spender])).toBe(c.initialBalance * 2n);
  });

  it('approves more than the balance', async () => {
    const c = ctx();
    await mined(c.publicClient, tokenAs(c, c.holder).write.approve([c.spender, c.initialBalance + 1n]));
    expect(await tokenAs(c, c.holder).read.allowance([c.holder, c.spender])).toBe(c.initialBalance + 1n);
  });

  it('reverts with ERC20InvalidSpender when the spender is the zero address', async () => {
    const c = ctx();
    await expectRevert(tokenAs(c, c.holder).write.approve([zeroAddress, 1n]), 'ERC20InvalidSpender', [zeroAddress]);
  });
}

async function domainOf(c: Erc20Context) {
  const chainId = await c.publicClient.getChainId();
  return { name: c.metadata.name, version: c.metadata.eip712Version, chainId, verifyingContract: c.token } as const;
}

/** Order of the secp256k1 group. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const permitTypes = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;

interface PermitMessage {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

async function signPermit(c: Erc20Context, signer: Address, message: PermitMessage) {
  const signature = await c.wallet(signer).signTypedData({
    domain: await domainOf(c),
    types: permitTypes,
    primaryType: 'Permit',
    message,
  });
  const { r, s, v, yParity } = parseSignature(signature);
  return { signature, r, s, v: Number(v ?? BigInt(yParity + 27)) };
}

async function nextHourDeadline(c: Erc20Context): Promise<bigint> {
  return (await c.publicClient.getBlock()).timestamp + 3_600n;
}

/** EIP-2612 permit and the EIP-712 domain (OpenZeppelin ERC20Permit.test.js). */
export function shouldBehaveLikeERC20Permit(ctx: Ctx) {
  it('starts every owner at nonce zero', async () => {
    const c = ctx();
    expect(await tokenAs(c, c.holder).read.nonces([c.holder])).toBe(0n);
  });

  it('exposes its EIP-712 domain through eip712Domain (ERC-5267) and DOMAIN_SEPARATOR', async () => {
    const c = ctx();
    const t = tokenAs(c, c.holder);
    const domain = await domainOf(c);
    const [fields, name, version, chainId, verifyingContract, salt, extensions] = await t.read.eip712Domain();
    expect(fields).toBe('0x0f'); // name, version, chainId, verifyingContract
    expect([name, version, chainId]).toEqual([domain.name, domain.version, BigInt(domain.chainId)]);
    expect(verifyingContract.toLowerCase()).toBe(c.token.toLowerCase());
    expect(salt).toBe(`0x${'00'.repeat(32)}`);
    expect(extensions).toEqual([]);
    expect(await t.read.DOMAIN_SEPARATOR()).toBe(domainSeparator({ domain }));
  });

  it("accepts the owner's signature: sets the allowance, bumps the nonce, emits Approval", async () => {
    const c = ctx();
    const message = { owner: c.holder, spender: c.spender, value: 42n, nonce: 0n, deadline: await nextHourDeadline(c) };
    const { v, r, s } = await signPermit(c, c.holder, message);
    // Anyone may submit the permit; here the spender pays the gas.
    const receipt = await mined(
      c.publicClient,
      tokenAs(c, c.spender).write.permit([c.holder, c.spender, 42n, message.deadline, v, r, s]),
    );
    const t = tokenAs(c, c.holder);
    expect(await t.read.nonces([c.holder])).toBe(1n);
    expect(await t.read.allowance([c.holder, c.spender])).toBe(42n);
    expectEvent(receipt, emitter(c), 'Approval', { owner: c.holder, spender: c.spender, value: 42n });
  });

  it('rejects a replayed signature with ERC2612InvalidSigner (the nonce moved on)', async () => {
    const c = ctx();
    const message = { owner: c.holder, spender: c.spender, value: 42n, nonce: 0n, deadline: await nextHourDeadline(c) };
    const { signature, v, r, s } = await signPermit(c, c.holder, message);
    const args = [c.holder, c.spender, 42n, message.deadline, v, r, s] as const;
    await mined(c.publicClient, tokenAs(c, c.spender).write.permit(args));
    // The contract now hashes nonce 1, so the same signature recovers to an unrelated address.
    const recovered = await recoverTypedDataAddress({
      domain: await domainOf(c),
      types: permitTypes,
      primaryType: 'Permit',
      message: { ...message, nonce: 1n },
      signature,
    });
    await expectRevert(tokenAs(c, c.spender).write.permit(args), 'ERC2612InvalidSigner', [recovered, c.holder]);
  });

  it('rejects a signature by someone other than the owner with ERC2612InvalidSigner', async () => {
    const c = ctx();
    const message = { owner: c.holder, spender: c.spender, value: 42n, nonce: 0n, deadline: await nextHourDeadline(c) };
    const { v, r, s } = await signPermit(c, c.recipient, message);
    await expectRevert(
      tokenAs(c, c.spender).write.permit([c.holder, c.spender, 42n, message.deadline, v, r, s]),
      'ERC2612InvalidSigner',
      [c.recipient, c.holder],
    );
    expect(await tokenAs(c, c.holder).read.nonces([c.holder])).toBe(0n);
  });

  it('rejects a malleable high-s signature with ECDSAInvalidSignatureS and a bad v with ECDSAInvalidSignature', async () => {
    const c = ctx();
    const message = { owner: c.holder, spender: c.spender, value: 42n, nonce: 0n, deadline: await nextHourDeadline(c) };
    const { v, r, s } = await signPermit(c, c.holder, message);
    // (r, n − s, v ^ 1) is the same point's twin signature: valid for ecrecover, refused by OpenZeppelin's ECDSA.
    const highS = toHex(SECP256K1_N - hexToBigInt(s), { size: 32 });
    const permit = tokenAs(c, c.spender).write.permit;
    await expectRevert(
      permit([c.holder, c.spender, 42n, message.deadline, v ^ 1, r, highS]),
      'ECDSAInvalidSignatureS',
      [highS],
    );
    await expectRevert(permit([c.holder, c.spender, 42n, message.deadline, 29, r, s]), 'ECDSAInvalidSignature', []);
  });

  it('rejects an expired permit with ERC2612ExpiredSignature', async () => {
    const c = ctx();
    const deadline = (await c.publicClient.getBlock()).timestamp - 1n;
    const message = { owner: c.holder, spender: c.spender, value: 42n, nonce: 0n, deadline };
    const { v, r, s } = await signPermit(c, c.holder, message);
    await expectRevert(
      tokenAs(c, c.spender).write.permit([c.holder, c.spender, 42n, deadline, v, r, s]),
      'ERC2612ExpiredSignature',
      [deadline],
    );
  });
}
