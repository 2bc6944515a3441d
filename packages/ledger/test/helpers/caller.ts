/** Calls one contract as any dev account: `call` simulates (eth_call, nothing changes), `send` mines it. */
import type { Abi, Address } from 'viem';
import type { Fixture } from './fixture.ts';

export function contractCaller(f: Fixture, address: Address, abi: Abi) {
  const call = (who: Address, functionName: string, args: readonly unknown[] = []) =>
    f.publicClient.simulateContract({ address, abi, functionName, args, account: who } as never);
  const send = async (who: Address, functionName: string, args: readonly unknown[] = []) => {
    const { request } = await call(who, functionName, args);
    const hash = await f.as(who).walletClient!.writeContract(request as never);
    return f.publicClient.waitForTransactionReceipt({ hash });
  };
  return { call, send };
}
