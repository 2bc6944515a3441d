/**
 * The quote (price, fees, segments, samples, P(detect), overhead) and the payment from the browser's wallet: the
 * wallet's balance is read first (too little is refused inline), then the wallet approves and escrows the job and
 * signs its hand-over to this node (POST /v1/jobs/adopt). The node's key pays nothing.
 */
import { useState } from 'react';
import { describeError } from '../components/QueryState.tsx';
import { formatAic } from '../format.ts';
import { apiPost } from './api-post.ts';
import { StepError } from './fields.tsx';
import {
  aicBalanceOf,
  connectWallet,
  ensureChain,
  type PayStep as PayProgress,
  type PreparedJob,
  payPreparedJob,
  signAdoption,
} from './pay-job.ts';

const PROGRESS: Record<PayProgress, string> = {
  approve: 'Approve the AIC in your wallet…',
  escrow: 'Escrow the job in your wallet…',
  sign: 'Sign the hand-over of the job to this node…',
};

export function PayStep({
  prepared,
  onBack,
  onPaid,
}: {
  prepared: PreparedJob;
  onBack: () => void;
  onPaid: (jobId: string) => void;
}) {
  const [error, setError] = useState<string | undefined>();
  const [progress, setProgress] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const q = prepared.quote;
  const pay = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const provider = window.ethereum;
      if (provider === undefined) throw new Error('No browser wallet found: install an EIP-1193 wallet to pay.');
      const wallet = await connectWallet(provider);
      await ensureChain(wallet, prepared.chainId);
      const balance = await aicBalanceOf(wallet, prepared.contracts.token as `0x${string}`);
      if (balance < BigInt(q.totalWei)) {
        throw new Error(
          `The wallet holds ${formatAic(balance)} AIC; this job needs ${formatAic(q.totalWei)} AIC. Lower the budget or fund the wallet.`,
        );
      }
      const paid = await payPreparedJob(wallet, prepared, (step) => setProgress(PROGRESS[step]));
      setProgress(PROGRESS.sign);
      const signedAtMs = Date.now();
      const signature = await signAdoption(wallet, prepared, paid.jobId, signedAtMs);
      await apiPost('adoptJob', '/v1/jobs/adopt', { jobId: String(paid.jobId), signedAtMs, signature });
      setProgress(`Job #${paid.jobId} paid (${formatAic(paid.escrowWei)} AIC from your wallet).`);
      onPaid(String(paid.jobId));
    } catch (cause) {
      setProgress(undefined);
      setError(walletError(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="wizard-quote">
      <h2>Quote</h2>
      <dl className="facts wide" data-testid="quote-facts">
        <dt>Total escrow</dt>
        <dd>
          <strong>{formatAic(q.totalWei)} AIC</strong>
        </dd>
        <dt>Provider budget</dt>
        <dd>{formatAic(q.providerWei)} AIC</dd>
        <dt>Protocol fee</dt>
        <dd>{formatAic(q.protocolFeeWei)} AIC</dd>
        <dt>Dataset and model fees</dt>
        <dd>
          {formatAic(q.datasetFeeWei)} + {formatAic(q.modelFeeWei)} AIC
        </dd>
        <dt>Verifier fee</dt>
        <dd>{formatAic(q.verifierFeeWei)} AIC</dd>
        <dt>Segments</dt>
        <dd>
          {q.segments} ({q.totalSteps} steps)
        </dd>
        <dt>Samples re-run</dt>
        <dd>{q.samples}</dd>
        <dt>P(detect)</dt>
        <dd>{(q.pDetect * 100).toFixed(2)} %</dd>
        <dt>Verification overhead</dt>
        <dd>{(q.overhead * 100).toFixed(1)} %</dd>
        <dt>Verification mode</dt>
        <dd>
          {q.verification.mode === 'exact'
            ? 'exact (each re-run segment reproduces its commitment bit for bit)'
            : `tolerant: within relative L2 ${q.verification.maxRelativeL2}, re-run on ${q.verification.verifyBackends.join(' or ')}`}
        </dd>
      </dl>
      <p className="muted">
        Your wallet pays the escrow to the market itself; this node then coordinates the job (placement, progress,
        settlement, the Trained AI) without paying anything.
      </p>
      <StepError error={error} testId="wizard-pay-error" />
      {progress === undefined ? null : (
        <p role="status" data-testid="wizard-pay-progress">
          {progress}
        </p>
      )}
      <div className="wizard-buttons">
        <button type="button" className="secondary" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button type="button" onClick={() => void pay()} disabled={busy}>
          {busy ? 'Paying…' : `Pay ${formatAic(q.totalWei)} AIC from the wallet`}
        </button>
      </div>
    </div>
  );
}

/** A wallet's refusal (EIP-1193 code 4001: the user said no) or the chain's, in one line. */
function walletError(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 4001) return 'The wallet refused the request.';
  const viemShort = (cause as { shortMessage?: unknown } | null)?.shortMessage;
  if (typeof viemShort === 'string') return viemShort;
  return describeError(cause).split('\n')[0] ?? 'payment failed';
}
