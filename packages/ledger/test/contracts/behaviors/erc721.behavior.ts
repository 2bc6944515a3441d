/**
 * ERC721 behaviour shared by every ERC721 of AIC, after OpenZeppelin's ERC721.behavior.js: balances and owners,
 * transfers by owner / approved / operator (plain and safe, with and without data), safe transfers to contracts that
 * accept or reject in every way, approvals, operators, ERC165 and metadata, with the ERC-6093 custom errors and their
 * arguments. Call inside a `describe` whose `beforeEach` restores a state where `owner` holds `firstTokenId` and
 * `secondTokenId` and no approval is set.
 */
import {
  type Address,
  getContract,
  type Hex,
  type PublicClient,
  parseAbi,
  type TransactionReceipt,
  toFunctionSelector,
  zeroAddress,
} from 'viem';
import { describe, expect, it } from 'vitest';
import * as receiverProbe from '../../artifacts/ERC721ReceiverProbe.ts';
import * as nonReceiver from '../../artifacts/NonReceiver.ts';
import { expectEvent, expectRevert, mined, normalized } from './chain-assertions.ts';
import type { TestWallet } from './erc20.behavior.ts';

/** What any OpenZeppelin 5 ERC721 with metadata exposes: the interface the behaviour is written against. */
export const erc721Abi = parseAbi([
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function tokenURI(uint256 tokenId) view returns (string)',
  'function balanceOf(address owner) view returns (uint256)',
  'function ownerOf(uint256 tokenId) view returns (address)',
  'function getApproved(uint256 tokenId) view returns (address)',
  'function isApprovedForAll(address owner, address operator) view returns (bool)',
  'function approve(address to, uint256 tokenId)',
  'function setApprovalForAll(address operator, bool approved)',
  'function transferFrom(address from, address to, uint256 tokenId)',
  'function safeTransferFrom(address from, address to, uint256 tokenId)',
  'function safeTransferFrom(address from, address to, uint256 tokenId, bytes data)',
  'function supportsInterface(bytes4 interfaceId) view returns (bool)',
  'event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)',
  'event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)',
  'event ApprovalForAll(address indexed owner, address indexed operator, bool approved)',
]);

export interface Erc721Context {
  publicClient: PublicClient;
  token: Address;
  wallet(account: Address): TestWallet;
  /** Holds `firstTokenId` and `secondTokenId`; the other accounts hold nothing and are signers. */
  owner: Address;
  approved: Address;
  operator: Address;
  other: Address;
  firstTokenId: bigint;
  secondTokenId: bigint;
  nonExistentTokenId: bigint;
  metadata: { name: string; symbol: string; tokenURI(tokenId: bigint): string };
}

type Ctx = () => Erc721Context;

/** ERC721ReceiverProbe's behaviours, in its enum order. */
export const Receiver = {
  Accept: 0,
  WrongValue: 1,
  RevertWithMessage: 2,
  RevertWithoutMessage: 3,
  RevertWithCustomError: 4,
  Panic: 5,
} as const;

function nftAs(c: Erc721Context, account: Address) {
  return getContract({
    address: c.token,
    abi: erc721Abi,
    client: { public: c.publicClient, wallet: c.wallet(account) },
  });
}

function emitter(c: Erc721Context) {
  return { address: c.token, abi: erc721Abi };
}

/** Deploys an ERC721ReceiverProbe that answers with `behaviour`. */
export async function deployReceiver(c: Erc721Context, behaviour: number): Promise<Address> {
  const hash = await c.wallet(c.other).deployContract({
    abi: receiverProbe.abi,
    bytecode: receiverProbe.bytecode,
    args: [behaviour],
  });
  const { contractAddress } = await mined(c.publicClient, Promise.resolve(hash));
  if (!contractAddress) throw new Error('receiver probe not deployed');
  return contractAddress;
}

async function deployNonReceiver(c: Erc721Context): Promise<Address> {
  const hash = await c.wallet(c.other).deployContract({ abi: nonReceiver.abi, bytecode: nonReceiver.bytecode });
  const { contractAddress } = await mined(c.publicClient, Promise.resolve(hash));
  if (!contractAddress) throw new Error('non-receiver not deployed');
  return contractAddress;
}

/** The full ERC721 behaviour. */
export function shouldBehaveLikeERC721(ctx: Ctx) {
  describe('balanceOf', () => {
    it('counts the tokens an owner holds', async () => {
      const c = ctx();
      expect(await nftAs(c, c.owner).read.balanceOf([c.owner])).toBe(2n);
      expect(await nftAs(c, c.owner).read.balanceOf([c.other])).toBe(0n);
    });

    it('reverts with ERC721InvalidOwner for the zero address', async () => {
      const c = ctx();
      await expectRevert(nftAs(c, c.owner).read.balanceOf([zeroAddress]), 'ERC721InvalidOwner', [zeroAddress]);
    });
  });

  describe('ownerOf', () => {
    it('returns the owner of a token', async () => {
      const c = ctx();
      expect(normalized(await nftAs(c, c.owner).read.ownerOf([c.firstTokenId]))).toBe(normalized(c.owner));
    });

    it('reverts with ERC721NonexistentToken for an unknown token', async () => {
      const c = ctx();
      await expectRevert(nftAs(c, c.owner).read.ownerOf([c.nonExistentTokenId]), 'ERC721NonexistentToken', [
        c.nonExistentTokenId,
      ]);
    });
  });

  describe('transfers', () => {
    const variants: Array<[string, TransferCall]> = [
      ['transferFrom', (n, from, to, id) => n.write.transferFrom([from, to, id])],
      ['safeTransferFrom', (n, from, to, id) => n.write.safeTransferFrom([from, to, id])],
      ['safeTransferFrom with data', (n, from, to, id) => n.write.safeTransferFrom([from, to, id, '0x42'])],
    ];
    for (const [name, call] of variants) {
      describe(`via ${name}`, () => {
        shouldTransferTokensByUsers(ctx, call);
      });
    }
    describe('safe transfers to contracts', () => {
      shouldTransferSafelyToContracts(ctx);
    });
  });

  describe('approve', () => {
    shouldBehaveLikeERC721Approve(ctx);
  });

  describe('setApprovalForAll', () => {
    shouldBehaveLikeERC721SetApprovalForAll(ctx);
  });

  describe('ERC165 and metadata', () => {
    it('supports ERC165, ERC721 and ERC721Metadata and rejects 0xffffffff', async () => {
      const c = ctx();
      const nft = nftAs(c, c.owner);
      for (const id of ['0x01ffc9a7', '0x80ac58cd', '0x5b5e139f'] as const) {
        expect(await nft.read.supportsInterface([id]), id).toBe(true);
      }
      expect(await nft.read.supportsInterface(['0xffffffff'])).toBe(false);
    });

    it('has a name, a symbol and a token URI per token', async () => {
      const c = ctx();
      const nft = nftAs(c, c.owner);
      expect(await nft.read.name()).toBe(c.metadata.name);
      expect(await nft.read.symbol()).toBe(c.metadata.symbol);
      expect(await nft.read.tokenURI([c.firstTokenId])).toBe(c.metadata.tokenURI(c.firstTokenId));
    });

    it('reverts with ERC721NonexistentToken for the URI of an unknown token', async () => {
      const c = ctx();
      await expectRevert(nftAs(c, c.owner).read.tokenURI([c.nonExistentTokenId]), 'ERC721NonexistentToken', [
        c.nonExistentTokenId,
      ]);
    });
  });
}

type Nft = ReturnType<typeof nftAs>;
type TransferCall = (nft: Nft, from: Address, to: Address, tokenId: bigint) => Promise<Hex>;

async function approveBoth(c: Erc721Context) {
  await mined(c.publicClient, nftAs(c, c.owner).write.approve([c.approved, c.firstTokenId]));
  await mined(c.publicClient, nftAs(c, c.owner).write.setApprovalForAll([c.operator, true]));
}

async function expectTransferred(c: Erc721Context, receipt: TransactionReceipt, to: Address) {
  const nft = nftAs(c, c.owner);
  expect(normalized(await nft.read.ownerOf([c.firstTokenId]))).toBe(normalized(to));
  expect(await nft.read.getApproved([c.firstTokenId])).toBe(zeroAddress);
  expect(await nft.read.balanceOf([c.owner])).toBe(1n);
  expect(await nft.read.balanceOf([to])).toBe(1n);
  expectEvent(receipt, emitter(c), 'Transfer', { from: c.owner, to, tokenId: c.firstTokenId });
}

function shouldTransferTokensByUsers(ctx: Ctx, call: TransferCall) {
  const callers: Array<[string, (c: Erc721Context) => Address]> = [
    ['the owner', (c) => c.owner],
    ['the approved account', (c) => c.approved],
    ['an operator', (c) => c.operator],
  ];
  for (const [who, caller] of callers) {
    it(`lets ${who} transfer, clearing the approval and emitting Transfer`, async () => {
      const c = ctx();
      await approveBoth(c);
      const receipt = await mined(c.publicClient, call(nftAs(c, caller(c)), c.owner, c.other, c.firstTokenId));
      await expectTransferred(c, receipt, c.other);
    });
  }

  it('lets the owner transfer when no one is approved', async () => {
    const c = ctx();
    const receipt = await mined(c.publicClient, call(nftAs(c, c.owner), c.owner, c.other, c.firstTokenId));
    await expectTransferred(c, receipt, c.other);
  });

  it('keeps ownership and balance but clears the approval when sent to the owner', async () => {
    const c = ctx();
    await approveBoth(c);
    const receipt = await mined(c.publicClient, call(nftAs(c, c.owner), c.owner, c.owner, c.firstTokenId));
    const nft = nftAs(c, c.owner);
    expect(normalized(await nft.read.ownerOf([c.firstTokenId]))).toBe(normalized(c.owner));
    expect(await nft.read.getApproved([c.firstTokenId])).toBe(zeroAddress);
    expect(await nft.read.balanceOf([c.owner])).toBe(2n);
    expectEvent(receipt, emitter(c), 'Transfer', { from: c.owner, to: c.owner, tokenId: c.firstTokenId });
  });

  it('reverts with ERC721IncorrectOwner when `from` is not the owner', async () => {
    const c = ctx();
    await expectRevert(call(nftAs(c, c.owner), c.other, c.other, c.firstTokenId), 'ERC721IncorrectOwner', [
      c.other,
      c.firstTokenId,
      c.owner,
    ]);
  });

  it('reverts with ERC721InsufficientApproval when the caller is not authorized', async () => {
    const c = ctx();
    await approveBoth(c);
    // `approved` is approved for the first token only.
    await expectRevert(call(nftAs(c, c.approved), c.owner, c.other, c.secondTokenId), 'ERC721InsufficientApproval', [
      c.approved,
      c.secondTokenId,
    ]);
    await expectRevert(call(nftAs(c, c.other), c.owner, c.other, c.firstTokenId), 'ERC721InsufficientApproval', [
      c.other,
      c.firstTokenId,
    ]);
  });

  it('reverts with ERC721NonexistentToken for an unknown token', async () => {
    const c = ctx();
    await expectRevert(call(nftAs(c, c.owner), c.owner, c.other, c.nonExistentTokenId), 'ERC721NonexistentToken', [
      c.nonExistentTokenId,
    ]);
  });

  it('reverts with ERC721InvalidReceiver when sent to the zero address', async () => {
    const c = ctx();
    await expectRevert(call(nftAs(c, c.owner), c.owner, zeroAddress, c.firstTokenId), 'ERC721InvalidReceiver', [
      zeroAddress,
    ]);
  });
}

function shouldTransferSafelyToContracts(ctx: Ctx) {
  it('calls onERC721Received with the operator, the previous owner, the token and the data', async () => {
    const c = ctx();
    const receiver = await deployReceiver(c, Receiver.Accept);
    await approveBoth(c);
    const receipt = await mined(
      c.publicClient,
      nftAs(c, c.approved).write.safeTransferFrom([c.owner, receiver, c.firstTokenId, '0x42']),
    );
    expectEvent(receipt, { address: receiver, abi: receiverProbe.abi }, 'Received', {
      operator: c.approved,
      from: c.owner,
      tokenId: c.firstTokenId,
      data: '0x42',
    });
    expect(normalized(await nftAs(c, c.owner).read.ownerOf([c.firstTokenId]))).toBe(normalized(receiver));
  });

  it('does not call the hook on a plain transferFrom to a contract that would reject', async () => {
    const c = ctx();
    const receiver = await deployReceiver(c, Receiver.RevertWithoutMessage);
    await mined(c.publicClient, nftAs(c, c.owner).write.transferFrom([c.owner, receiver, c.firstTokenId]));
    expect(normalized(await nftAs(c, c.owner).read.ownerOf([c.firstTokenId]))).toBe(normalized(receiver));
  });

  const safe = (c: Erc721Context, to: Address) =>
    nftAs(c, c.owner).write.safeTransferFrom([c.owner, to, c.firstTokenId]);

  it('reverts with ERC721InvalidReceiver when the receiver returns a wrong value', async () => {
    const c = ctx();
    const receiver = await deployReceiver(c, Receiver.WrongValue);
    await expectRevert(safe(c, receiver), 'ERC721InvalidReceiver', [receiver]);
  });

  it("bubbles up the receiver's revert message", async () => {
    const c = ctx();
    const receiver = await deployReceiver(c, Receiver.RevertWithMessage);
    await expectRevert(safe(c, receiver), 'Error', ['ERC721ReceiverProbe: reverting']);
  });

  it('reverts with ERC721InvalidReceiver when the receiver reverts without a message', async () => {
    const c = ctx();
    const receiver = await deployReceiver(c, Receiver.RevertWithoutMessage);
    await expectRevert(safe(c, receiver), 'ERC721InvalidReceiver', [receiver]);
  });

  it("bubbles up the receiver's custom error", async () => {
    const c = ctx();
    const receiver = await deployReceiver(c, Receiver.RevertWithCustomError);
    await expectRevert(safe(c, receiver), 'CustomRejection', [
      toFunctionSelector('onERC721Received(address,address,uint256,bytes)'),
    ]);
  });

  it("bubbles up the receiver's panic (division by zero, 0x12)", async () => {
    const c = ctx();
    const receiver = await deployReceiver(c, Receiver.Panic);
    await expectRevert(safe(c, receiver), 'Panic', [0x12n]);
  });

  it('reverts with ERC721InvalidReceiver for a contract without the hook', async () => {
    const c = ctx();
    const receiver = await deployNonReceiver(c);
    await expectRevert(safe(c, receiver), 'ERC721InvalidReceiver', [receiver]);
  });
}

function shouldBehaveLikeERC721Approve(ctx: Ctx) {
  it('sets the approval and emits Approval', async () => {
    const c = ctx();
    const receipt = await mined(c.publicClient, nftAs(c, c.owner).write.approve([c.approved, c.firstTokenId]));
    expect(normalized(await nftAs(c, c.owner).read.getApproved([c.firstTokenId]))).toBe(normalized(c.approved));
    expectEvent(receipt, emitter(c), 'Approval', { owner: c.owner, approved: c.approved, tokenId: c.firstTokenId });
  });

  it('clears the approval when approving the zero address', async () => {
    const c = ctx();
    await mined(c.publicClient, nftAs(c, c.owner).write.approve([c.approved, c.firstTokenId]));
    const receipt = await mined(c.publicClient, nftAs(c, c.owner).write.approve([zeroAddress, c.firstTokenId]));
    expect(await nftAs(c, c.owner).read.getApproved([c.firstTokenId])).toBe(zeroAddress);
    expectEvent(receipt, emitter(c), 'Approval', { owner: c.owner, approved: zeroAddress, tokenId: c.firstTokenId });
  });

  it('replaces an earlier approval', async () => {
    const c = ctx();
    await mined(c.publicClient, nftAs(c, c.owner).write.approve([c.approved, c.firstTokenId]));
    await mined(c.publicClient, nftAs(c, c.owner).write.approve([c.other, c.firstTokenId]));
    expect(normalized(await nftAs(c, c.owner).read.getApproved([c.firstTokenId]))).toBe(normalized(c.other));
  });

  it('lets an operator approve on behalf of the owner', async () => {
    const c = ctx();
    await mined(c.publicClient, nftAs(c, c.owner).write.setApprovalForAll([c.operator, true]));
    const receipt = await mined(c.publicClient, nftAs(c, c.operator).write.approve([c.approved, c.firstTokenId]));
    expect(normalized(await nftAs(c, c.owner).read.getApproved([c.firstTokenId]))).toBe(normalized(c.approved));
    expectEvent(receipt, emitter(c), 'Approval', { owner: c.owner, approved: c.approved, tokenId: c.firstTokenId });
  });

  it('reverts with ERC721InvalidApprover when neither owner nor operator approves', async () => {
    const c = ctx();
    await mined(c.publicClient, nftAs(c, c.owner).write.approve([c.approved, c.firstTokenId]));
    // Being approved for a token does not allow approving others for it.
    await expectRevert(nftAs(c, c.approved).write.approve([c.other, c.firstTokenId]), 'ERC721InvalidApprover', [
      c.approved,
    ]);
  });

  it('reverts with ERC721NonexistentToken for an unknown token', async () => {
    const c = ctx();
    await expectRevert(nftAs(c, c.owner).write.approve([c.approved, c.nonExistentTokenId]), 'ERC721NonexistentToken', [
      c.nonExistentTokenId,
    ]);
    await expectRevert(nftAs(c, c.owner).read.getApproved([c.nonExistentTokenId]), 'ERC721NonexistentToken', [
      c.nonExistentTokenId,
    ]);
  });
}

function shouldBehaveLikeERC721SetApprovalForAll(ctx: Ctx) {
  it('approves an operator for all tokens and emits ApprovalForAll', async () => {
    const c = ctx();
    const receipt = await mined(c.publicClient, nftAs(c, c.owner).write.setApprovalForAll([c.operator, true]));
    expect(await nftAs(c, c.owner).read.isApprovedForAll([c.owner, c.operator])).toBe(true);
    expectEvent(receipt, emitter(c), 'ApprovalForAll', { owner: c.owner, operator: c.operator, approved: true });
  });

  it('revokes an operator and emits ApprovalForAll', async () => {
    const c = ctx();
    await mined(c.publicClient, nftAs(c, c.owner).write.setApprovalForAll([c.operator, true]));
    const receipt = await mined(c.publicClient, nftAs(c, c.owner).write.setApprovalForAll([c.operator, false]));
    expect(await nftAs(c, c.owner).read.isApprovedForAll([c.owner, c.operator])).toBe(false);
    expectEvent(receipt, emitter(c), 'ApprovalForAll', { owner: c.owner, operator: c.operator, approved: false });
  });

  it('reverts with ERC721InvalidOperator for the zero address', async () => {
    const c = ctx();
    await expectRevert(nftAs(c, c.owner).write.setApprovalForAll([zeroAddress, true]), 'ERC721InvalidOperator', [
      zeroAddress,
    ]);
  });
}
