/**
 * Setup for the browser scenarios: members' assets published through the requester node (node 0) with its API token
 * (node-owner mode), as a member publishes their own data — not the wallet's part of a scenario.
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataset, writeDatasetDir } from '@aic/data-vessel';
import { TEMPLATES } from '@aic/model-vessel';

/** POSTs a JSON body to the requester node's API with its token; a refusal throws with the node's answer. */
export async function requesterPost(webUrl: string, devnetDir: string, path: string, body: unknown) {
  const token = (await readFile(join(devnetDir, 'node-0-requester', 'node', 'api-token'), 'utf8')).trim();
  const response = await fetch(new URL(path, webUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, string>;
  if (!response.ok) throw new Error(`${path}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Fisher's iris measurements (the Iris template's examples) written as a Data Vessel dataset directory. */
export async function writeIrisDatasetDir(name: string, shuffleSeed: number): Promise<string> {
  const iris = TEMPLATES.iris!;
  const data = await iris.loadData();
  const rows = data.train.count + data.test.count;
  const features = new Float32Array(data.train.features.length + data.test.features.length);
  features.set(data.train.features);
  features.set(data.test.features, data.train.features.length);
  const labels = Int32Array.from([...data.train.labels, ...data.test.labels], (v) => Math.round(v));
  const output = iris.manifest.outputs[0];
  const classes = output?.labels ?? Array.from({ length: output?.shape[0] ?? 3 }, (_, i) => String(i));
  const imported = buildDataset(
    { rows, features, featureShape: data.train.featureShape, labels, labelShape: [1] },
    {
      name,
      classes,
      description: 'Fisher’s iris measurements, published for a browser scenario',
      sourceKind: 'tabular-csv',
      task: 'classification',
      normalization: { kind: 'none' },
      preprocessing: { kind: 'tabular', labelColumn: 'species', numericColumns: [], categoricalColumns: [] },
    },
    { license: data.license, pricePerUseWei: 10n ** 18n, testFraction: 0.1, shuffleSeed },
  );
  const dir = join(tmpdir(), `aic-${name}-${process.pid}-${Date.now()}`);
  await writeDatasetDir(dir, imported);
  return dir;
}
