import type { DatasetManifest } from '../manifest/index.ts';
import type { DataRequirement } from './requirement.ts';

/** One way a dataset falls short of a requirement. */
export interface UnmetRequirement {
  readonly path: string;
  readonly reason: string;
}

/**
 * Checks a (validated) dataset manifest against a data requirement, off-chain, as DataRequests expects before a
 * requester accepts an offered dataset. Returns every unmet condition; an empty list means the dataset qualifies.
 *
 * @example
 * if (unmetRequirements(manifest, requirement).length === 0) await ledger.dataRequests.offerDataset(requestId, tokenId);
 */
export function unmetRequirements(manifest: DatasetManifest, requirement: DataRequirement): UnmetRequirement[] {
  const unmet: UnmetRequirement[] = [];
  const miss = (path: string, reason: string) => unmet.push({ path, reason });
  if (manifest.rows < requirement.minRows) miss('minRows', `the dataset has ${manifest.rows} rows`);
  if (requirement.sourceKinds && !requirement.sourceKinds.includes(manifest.sourceKind)) {
    miss('sourceKinds', `the dataset is ${manifest.sourceKind}`);
  }
  if (requirement.task && requirement.task !== manifest.task) miss('task', `the dataset is for ${manifest.task}`);
  const { dtype, shape } = requirement.features ?? {};
  if (dtype && dtype !== manifest.features.dtype) miss('features.dtype', `the dataset has ${manifest.features.dtype}`);
  if (shape && shape.join() !== manifest.features.shape.join()) {
    miss('features.shape', `the dataset has [${manifest.features.shape.join(', ')}]`);
  }
  const missing = (requirement.classes ?? []).filter((c) => !manifest.classes?.includes(c));
  if (missing.length > 0) miss('classes', `missing ${missing.slice(0, 10).join(', ')}`);
  if (requirement.licenses && !requirement.licenses.includes(manifest.license)) {
    miss('licenses', `the dataset is licensed ${manifest.license}`);
  }
  if (
    requirement.maxPricePerUseWei !== undefined &&
    BigInt(manifest.pricePerUseWei) > BigInt(requirement.maxPricePerUseWei)
  ) {
    miss('maxPricePerUseWei', `the dataset costs ${manifest.pricePerUseWei} wei per use`);
  }
  return unmet;
}
