import { zeroAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { roleId } from '../../src/deploy.ts';
import { AssetKind } from '../../src/types.ts';
import * as nonReceiver from '../artifacts/NonReceiver.ts';
import { expectEvent, expectRevert, mined, normalized } from './behaviors/chain-assertions.ts';
import { type Erc721Context, shouldBehaveLikeERC721 } from './behaviors/erc721.behavior.ts';
import { assetInput, CID, mint, travel, users } from './behaviors/ledger-helpers.ts';
import { useScenario } from './behaviors/scenario.ts';

describe('AssetRegistry', () => {
  describe('as an ERC721', () => {
    const scenario = useScenario(async (f) => {
      const { alice } = users(f);
      await mint(f, alice);
      await mint(f, alice, assetInput({ manifestCid: 'second' }));
    });
    shouldBehaveLikeERC721((): Erc721Context => {
      const { f } = scenario();
      const { alice, bob, carol, dave } = users(f);
      return {
        publicClient: f.publicClient,
        token: f.deployment.contracts.AssetRegistry,
        wallet: (account) => f.as(account).walletClient!,
        owner: alice,
        approved: bob,
        operator: carol,
        other: dave,
        firstTokenId: 1n,
        secondTokenId: 2n,
        nonExistentTokenId: 99n,
        metadata: { name: 'AIC Asset', symbol: 'AICA', tokenURI: (id) => `ipfs://${id === 1n ? CID : 'second'}` },
      };
    });

    it('also supports ERC2981, ERC-4907 and AccessControl', async () => {
      const registry = scenario().f.as(users(scenario().f).alice).registry;
      for (const id of ['0x2a55205a', '0xad092b5c', '0x7965db0b'] as const) {
        expect(await registry.read.supportsInterface([id]), id).toBe(true);
      }
    });
  });

  describe('minting', () => {
    const scenario = useScenario(async () => {});

    it('mints to the caller with ids from 1 and records kind, manifest, content root, price, license, lineage', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const parent = await mint(f, alice, assetInput({ kind: AssetKind.Data }));
      const input = assetInput({
        kind: AssetKind.Model,
        pricePerUse: 5n,
        lineage: [{ parentId: parent, shareBps: 1_500 }],
      });
      const receipt = await mined(f.publicClient, f.as(bob).registry.write.mint([input]));
      const registry = f.as(bob).registry;
      expect(parent).toBe(1n);
      expect(await registry.read.totalMinted()).toBe(2n);
      expect(normalized(await registry.read.ownerOf([2n]))).toBe(normalized(bob));
      expect(await registry.read.assetOf([2n])).toEqual({
        kind: AssetKind.Model,
        licenseId: 7,
        pricePerUse: 5n,
        transferCount: 0n,
        contentRoot: input.contentRoot,
        manifestCid: CID,
      });
      expect(await registry.read.lineageOf([2n])).toEqual([{ parentId: 1n, shareBps: 1_500 }]);
      expect(normalized(await registry.read.payeeOf([2n]))).toEqual(normalized([bob, AssetKind.Model, 5n, true]));
      expect(normalized(await registry.read.payeeOf([1n]))).toEqual(
        normalized([alice, AssetKind.Data, 10n ** 18n, false]),
      );
      expect(await registry.read.priceOf([2n])).toEqual([AssetKind.Model, 5n]);
      await expectRevert(registry.read.priceOf([3n]), 'ERC721NonexistentToken', [3n]);
      await expectRevert(registry.read.priceOf([0n]), 'ERC721NonexistentToken', [0n]);
      expect(await registry.read.tokenURI([2n])).toBe(`ipfs://${CID}`);
      expectEvent(receipt, registry, 'AssetMinted', {
        tokenId: 2n,
        owner: bob,
        kind: AssetKind.Model,
        manifestCid: CID,
        contentRoot: input.contentRoot,
      });
    });

    it('accepts the full lineage: 8 parents whose shares sum to exactly 10,000 bps', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      for (let i = 0; i < 8; i++) await mint(f, alice);
      const lineage = Array.from({ length: 8 }, (_, i) => ({ parentId: BigInt(i + 1), shareBps: 1_250 }));
      const child = await mint(f, alice, assetInput({ lineage }));
      expect(await f.as(alice).registry.read.lineageOf([child])).toEqual(lineage);
    });

    it('rejects more than MAX_PARENTS (8) parents with LineageTooLong', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      for (let i = 0; i < 9; i++) await mint(f, alice);
      const lineage = Array.from({ length: 9 }, (_, i) => ({ parentId: BigInt(i + 1), shareBps: 100 }));
      await expectRevert(f.as(alice).registry.write.mint([assetInput({ lineage })]), 'LineageTooLong', [9n]);
    });

    it('rejects parent shares above 10,000 bps with LineageSharesTooHigh', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      await mint(f, alice);
      await mint(f, alice);
      const lineage = [
        { parentId: 1n, shareBps: 6_000 },
        { parentId: 2n, shareBps: 4_001 },
      ];
      await expectRevert(f.as(alice).registry.write.mint([assetInput({ lineage })]), 'LineageSharesTooHigh', [10_001n]);
    });

    it('rejects id 0, its own id and future ids as parents with LineageParentInvalid', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      await mint(f, alice);
      for (const parentId of [0n, 2n, 3n]) {
        const input = assetInput({ lineage: [{ parentId, shareBps: 1 }] });
        await expectRevert(f.as(alice).registry.write.mint([input]), 'LineageParentInvalid', [parentId]);
      }
    });

    it('rejects an empty manifest CID with EmptyManifestCid', async () => {
      const { f } = scenario();
      await expectRevert(
        f.as(users(f).alice).registry.write.mint([assetInput({ manifestCid: '' })]),
        'EmptyManifestCid',
        [],
      );
    });

    it('reverts with AssetNotFound for the record or lineage of an unknown asset', async () => {
      const { f } = scenario();
      const registry = f.as(users(f).alice).registry;
      await expectRevert(registry.read.assetOf([0n]), 'AssetNotFound', [0n]);
      await expectRevert(registry.read.lineageOf([1n]), 'AssetNotFound', [1n]);
    });
  });

  describe('sale royalty (ERC2981)', () => {
    const scenario = useScenario(async () => {});

    it('pays the declared royalty on a sale price, up to MAX_ROYALTY_BPS (25 %)', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const id = await mint(f, alice, assetInput({ royaltyReceiver: bob, royaltyBps: 2_500n }));
      expect(normalized(await f.as(alice).registry.read.royaltyInfo([id, 1_000n]))).toEqual(normalized([bob, 250n]));
    });

    it('has no royalty when none was declared', async () => {
      const { f } = scenario();
      const id = await mint(f, users(f).alice);
      expect(await f.as(users(f).alice).registry.read.royaltyInfo([id, 1_000n])).toEqual([zeroAddress, 0n]);
    });

    it('rejects a royalty above the cap with RoyaltyTooHigh', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const input = assetInput({ royaltyReceiver: bob, royaltyBps: 2_501n });
      await expectRevert(f.as(alice).registry.write.mint([input]), 'RoyaltyTooHigh', [2_501n]);
    });

    it('rejects a royalty paid to the zero address (ERC2981InvalidTokenRoyaltyReceiver)', async () => {
      const { f } = scenario();
      const input = assetInput({ royaltyBps: 100n });
      await expectRevert(f.as(users(f).alice).registry.write.mint([input]), 'ERC2981InvalidTokenRoyaltyReceiver', [
        1n,
        zeroAddress,
      ]);
    });
  });

  describe('price per use', () => {
    const scenario = useScenario(async (f) => {
      const { alice, bob, carol } = users(f);
      await mint(f, alice);
      await mined(f.publicClient, f.as(alice).registry.write.approve([bob, 1n]));
      await mined(f.publicClient, f.as(alice).registry.write.setApprovalForAll([carol, true]));
    });

    it('is set by the owner, the approved account or an operator, emitting PricePerUseChanged', async () => {
      const { f } = scenario();
      const { alice, bob, carol } = users(f);
      for (const [caller, price] of [
        [alice, 1n],
        [bob, 2n],
        [carol, 3n],
      ] as const) {
        const registry = f.as(caller).registry;
        const receipt = await mined(f.publicClient, registry.write.setPricePerUse([1n, price]));
        expectEvent(receipt, registry, 'PricePerUseChanged', { tokenId: 1n, pricePerUse: price });
        expect((await registry.read.assetOf([1n])).pricePerUse).toBe(price);
      }
    });

    it('rejects anyone else with NotTokenOwnerOrApproved, and unknown tokens with ERC721NonexistentToken', async () => {
      const { f } = scenario();
      const { dave } = users(f);
      await expectRevert(f.as(dave).registry.write.setPricePerUse([1n, 0n]), 'NotTokenOwnerOrApproved', [1n, dave]);
      await expectRevert(f.as(dave).registry.write.setPricePerUse([9n, 0n]), 'ERC721NonexistentToken', [9n]);
    });
  });

  describe('transfer count', () => {
    const scenario = useScenario(async (f) => {
      await mint(f, users(f).alice);
    });

    it('starts at zero and counts every transfer, so offers can bind to one ownership period', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      const registry = f.as(alice).registry;
      expect(await registry.read.transferCountOf([1n])).toBe(0n);
      await mined(f.publicClient, registry.write.transferFrom([alice, bob, 1n]));
      await mined(f.publicClient, f.as(bob).registry.write.safeTransferFrom([bob, alice, 1n]));
      expect(await registry.read.transferCountOf([1n])).toBe(2n);
      expect((await registry.read.assetOf([1n])).transferCount).toBe(2n);
      await expectRevert(registry.read.transferCountOf([2n]), 'ERC721NonexistentToken', [2n]);
    });
  });

  describe('user rights (ERC-4907)', () => {
    const scenario = useScenario(async (f) => {
      await mint(f, users(f).alice);
    });

    it('grants a user until the expiry and forgets them after it', async () => {
      const { f } = scenario();
      const { alice, dave } = users(f);
      const registry = f.as(alice).registry;
      const expires = (await f.publicClient.getBlock()).timestamp + 100n;
      const receipt = await mined(f.publicClient, registry.write.setUser([1n, dave, expires]));
      expectEvent(receipt, registry, 'UpdateUser', { tokenId: 1n, user: dave, expires });
      expect(normalized(await registry.read.userOf([1n]))).toBe(normalized(dave));
      expect(await registry.read.userExpires([1n])).toBe(expires);
      await travel(f, 101);
      expect(await registry.read.userOf([1n])).toBe(zeroAddress);
    });

    it('is set only by the owner or an approved account (NotTokenOwnerOrApproved)', async () => {
      const { f } = scenario();
      const { alice, bob, dave } = users(f);
      const expires = (await f.publicClient.getBlock()).timestamp + 100n;
      await expectRevert(f.as(dave).registry.write.setUser([1n, dave, expires]), 'NotTokenOwnerOrApproved', [1n, dave]);
      await mined(f.publicClient, f.as(alice).registry.write.approve([bob, 1n]));
      await mined(f.publicClient, f.as(bob).registry.write.setUser([1n, dave, expires]));
      expect(normalized(await f.as(bob).registry.read.userOf([1n]))).toBe(normalized(dave));
    });

    it('can only be extended for the same user while live (UserRoleActive), and reassigned after it ends', async () => {
      const { f } = scenario();
      const { alice, bob, dave } = users(f);
      const registry = f.as(alice).registry;
      const expires = (await f.publicClient.getBlock()).timestamp + 100n;
      await mined(f.publicClient, registry.write.setUser([1n, dave, expires]));
      await expectRevert(registry.write.setUser([1n, bob, expires]), 'UserRoleActive', [1n, dave, expires]);
      await expectRevert(registry.write.setUser([1n, dave, expires - 1n]), 'UserRoleActive', [1n, dave, expires]);
      await mined(f.publicClient, registry.write.setUser([1n, dave, expires + 50n]));
      expect(await registry.read.userExpires([1n])).toBe(expires + 50n);
      await travel(f, 151);
      await mined(f.publicClient, registry.write.setUser([1n, bob, expires + 500n]));
      expect(normalized(await registry.read.userOf([1n]))).toBe(normalized(bob));
    });

    it('survives a transfer of the NFT, so a paid rental outlives a sale', async () => {
      const { f } = scenario();
      const { alice, bob, dave } = users(f);
      const expires = (await f.publicClient.getBlock()).timestamp + 100n;
      await mined(f.publicClient, f.as(alice).registry.write.setUser([1n, dave, expires]));
      await mined(f.publicClient, f.as(alice).registry.write.transferFrom([alice, bob, 1n]));
      expect(normalized(await f.as(bob).registry.read.userOf([1n]))).toBe(normalized(dave));
    });
  });

  describe('mintFor', () => {
    const scenario = useScenario(async () => {});

    it('needs MINTER_ROLE (AccessControlUnauthorizedAccount)', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await expectRevert(f.as(alice).registry.write.mintFor([bob, assetInput()]), 'AccessControlUnauthorizedAccount', [
        alice,
        roleId('MINTER_ROLE'),
      ]);
    });

    it('mints to another address once the admin granted MINTER_ROLE', async () => {
      const { f } = scenario();
      const { alice, bob } = users(f);
      await mined(f.publicClient, f.as(f.roles.admin).registry.write.grantRole([roleId('MINTER_ROLE'), alice]));
      await mined(f.publicClient, f.as(alice).registry.write.mintFor([bob, assetInput()]));
      expect(normalized(await f.as(alice).registry.read.ownerOf([1n]))).toBe(normalized(bob));
    });

    it('refuses to mint to a contract that cannot receive NFTs (ERC721InvalidReceiver)', async () => {
      const { f } = scenario();
      const { alice } = users(f);
      const wallet = f.as(alice).walletClient!;
      const hash = await wallet.deployContract({ abi: nonReceiver.abi, bytecode: nonReceiver.bytecode });
      const { contractAddress } = await mined(f.publicClient, Promise.resolve(hash));
      await mined(f.publicClient, f.as(f.roles.admin).registry.write.grantRole([roleId('MINTER_ROLE'), alice]));
      await expectRevert(
        f.as(alice).registry.write.mintFor([contractAddress!, assetInput()]),
        'ERC721InvalidReceiver',
        [contractAddress],
      );
    });

    it('is granted to the ComputeMarket by the deployment (it mints TrainedAI assets)', async () => {
      const { f } = scenario();
      const registry = f.as(f.roles.admin).registry;
      expect(await registry.read.hasRole([roleId('MINTER_ROLE'), f.deployment.contracts.ComputeMarket])).toBe(true);
    });
  });
});
