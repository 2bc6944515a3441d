import { lazy, Suspense, useState } from 'react';

// wagmi and viem load only when the member asks for the wallet: browsing PLAZA needs neither.
const WalletPanel = lazy(() => import('../wallet/WalletPanel.tsx'));

export function WalletButton() {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="wallet-button" onClick={() => setOpen(true)}>
        Connect wallet
      </button>
    );
  }
  return (
    <Suspense fallback={<span className="muted">Loading wallet…</span>}>
      <WalletPanel onClose={() => setOpen(false)} />
    </Suspense>
  );
}
