/** EIP-2612 permits for AIC, signed by the client's wallet, so a payment needs no separate approve transaction. */
import type { Address } from 'viem';
import { parseSignature } from 'viem';
import type { LedgerBase } from '../client.ts';
import { toLedgerError } from '../errors.ts';

export interface PermitArgs {
  value: bigint;
  deadline: bigint;
  v: number;
  r: `0x${string}`;
  s: `0x${string}`;
}

/** Default permit lifetime. */
const PERMIT_TTL_SEC = 3_600n;

export function createPermitSigner(base: LedgerBase) {
  /** Signs a permit letting `spender` pull `value` AIC from the client's account. */
  return async function signPermit(spender: Address, value: bigint, deadline?: bigint): Promise<PermitArgs> {
    const wallet = base.walletClient;
    if (!wallet) throw toLedgerError(new Error('read-only ledger client'), 'signPermit');
    const owner = wallet.account.address;
    const [nonce, chainId, block] = await Promise.all([
      base.token.read.nonces([owner]),
      base.publicClient.getChainId(),
      base.publicClient.getBlock(),
    ]);
    const until = deadline ?? block.timestamp + PERMIT_TTL_SEC;
    const signature = await wallet.signTypedData({
      account: wallet.account,
      domain: { name: 'AI Crypto', version: '1', chainId, verifyingContract: base.deployment.contracts.AICToken },
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner, spender, value, nonce, deadline: until },
    });
    const { r, s, v, yParity } = parseSignature(signature);
    return { value, deadline: until, v: Number(v ?? BigInt(yParity + 27)), r, s };
  };
}

export type PermitSigner = ReturnType<typeof createPermitSigner>;
