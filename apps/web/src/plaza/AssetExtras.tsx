/**
 * What a PLAZA card and an asset page show beyond the registry's record, all as the node serves it (nothing made up
 * here): the asset's Proof-of-Value standing from chain events, a model's I/O dictionary and hyperparameter schema
 * from its manifest, a Trained AI's evaluation from the job that trained it.
 */
import type { PlazaAsset } from '../api.ts';
import { formatAic } from '../format.ts';

type Io = NonNullable<PlazaAsset['io']>;
type Tensor = Io['inputs'][number];

/** The standing in one line: what the chain shows, labelled as such (a "rating" here is on-chain usage, not a vote). */
export function standingText(asset: PlazaAsset): string {
  const s = asset.standing;
  if (s === undefined) return 'not read from the chain right now';
  const uses = `${s.usesSold} ${s.usesSold === 1 ? 'use' : 'uses'} sold (${formatAic(s.usesPaidWei)} AIC)`;
  const jobs = `${s.jobsUsing} ${s.jobsUsing === 1 ? 'job' : 'jobs'}`;
  return `${uses}, ${jobs}`;
}

export function ownerPovText(asset: PlazaAsset): string {
  const s = asset.standing;
  if (s === undefined) return 'not read from the chain right now';
  if (s.ownerPovEpochs === 0) return 'no score recorded yet';
  return `${s.ownerPovScore} over ${s.ownerPovEpochs} ${s.ownerPovEpochs === 1 ? 'epoch' : 'epochs'}`;
}

const NOT_KNOWN = 'not known to this node';

export function tensorText(t: Tensor): string {
  const labels =
    t.labels === undefined || t.labels.length === 0
      ? ''
      : `: ${t.labelCount ?? t.labels.length} classes (${t.labels.slice(0, 6).join(', ')}${(t.labelCount ?? 0) > 6 ? ' …' : ''})`;
  return `${t.name} ${t.dtype} [${t.shape.join(' × ')}]${labels}`;
}

/** A card's one-line I/O summary. */
export function ioSummary(asset: PlazaAsset): string {
  if (asset.io === undefined || asset.io === null) return NOT_KNOWN;
  const io = asset.io;
  return `${io.task}: ${io.inputs.map(tensorText).join(', ')} → ${io.outputs.map(tensorText).join(', ')}`;
}

/** A card's one-line evaluation summary (Trained AIs). */
export function evaluationSummary(asset: PlazaAsset): string {
  const e = asset.evaluation;
  if (e === undefined || e === null) return NOT_KNOWN;
  const parts = [
    e.finalLoss === null ? undefined : `loss ${e.finalLoss.toFixed(4)}`,
    e.finalAccuracy === null ? undefined : `accuracy ${(e.finalAccuracy * 100).toFixed(1)} %`,
  ].filter((p) => p !== undefined);
  return parts.length === 0 ? `job #${e.jobId}: no metric reported` : parts.join(', ');
}

/** The asset page's model section: inputs, outputs and the hyperparameters a job may set. */
export function ModelIoSection({ asset }: { asset: PlazaAsset }) {
  const io = asset.io;
  return (
    <section aria-labelledby="io-title">
      <h2 id="io-title">I/O dictionary and hyperparameters</h2>
      {io === undefined || io === null ? (
        <p className="notice" data-testid="model-io">
          The model manifest ({asset.manifestCid.slice(0, 20)}…) is {NOT_KNOWN}: it holds neither its bytes nor a job
          ticket that carries it.
        </p>
      ) : (
        <>
          <dl className="facts wide" data-testid="model-io">
            <dt>Task</dt>
            <dd>{io.task}</dd>
            {io.inputs.map((t) => (
              <IoRow key={`in-${t.name}`} kind="Input" tensor={t} />
            ))}
            {io.outputs.map((t) => (
              <IoRow key={`out-${t.name}`} kind="Output" tensor={t} />
            ))}
          </dl>
          {io.hyperparameters.length === 0 ? (
            <p className="muted">The manifest declares no hyperparameters.</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1)
            <section className="table-scroll" aria-label="Hyperparameter schema" tabIndex={0}>
              <table data-testid="hyperparameters">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Default</th>
                    <th scope="col">Allowed</th>
                    <th scope="col">Meaning</th>
                  </tr>
                </thead>
                <tbody>
                  {io.hyperparameters.map((h) => (
                    <tr key={h.name}>
                      <td>
                        <code>{h.name}</code>
                      </td>
                      <td>{h.type}</td>
                      <td>{String(h.default)}</td>
                      <td>{allowedText(h)}</td>
                      <td>{h.description ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </section>
  );
}

function IoRow({ kind, tensor }: { kind: string; tensor: Tensor }) {
  return (
    <>
      <dt>
        {kind} <code>{tensor.name}</code>
      </dt>
      <dd>
        {tensorText(tensor)}
        <br />
        <span className="muted">{tensor.meaning}</span>
      </dd>
    </>
  );
}

function allowedText(h: Io['hyperparameters'][number]): string {
  if (h.enum !== undefined) return h.enum.join(', ');
  if (h.minimum !== undefined || h.maximum !== undefined) return `${h.minimum ?? '−∞'} … ${h.maximum ?? '∞'}`;
  return 'any';
}

/** The asset page's evaluation section (Trained AIs). */
export function EvaluationSection({ asset }: { asset: PlazaAsset }) {
  const e = asset.evaluation;
  return (
    <section aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">Evaluation</h2>
      {e === undefined || e === null ? (
        <p className="notice" data-testid="evaluation">
          The training metrics are {NOT_KNOWN}: only the requester node that settled the training job keeps the
          provider’s progress reports.
        </p>
      ) : (
        <dl className="facts wide" data-testid="evaluation">
          <dt>Training job</dt>
          <dd>
            <a href={`#/explorer/job/${e.jobId}`}>#{e.jobId}</a>
          </dd>
          <dt>Final loss</dt>
          <dd>{e.finalLoss === null ? 'not reported' : e.finalLoss.toFixed(4)}</dd>
          <dt>Final accuracy</dt>
          <dd>{e.finalAccuracy === null ? 'not reported' : `${(e.finalAccuracy * 100).toFixed(1)} %`}</dd>
          <dt>Steps</dt>
          <dd>
            {e.steps} of {e.totalSteps}
          </dd>
        </dl>
      )}
      <p className="muted">As the provider reported them during training, seen by the node that settled the job.</p>
    </section>
  );
}
