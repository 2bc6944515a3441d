import { type AicNetwork, createAicNetwork } from '@aic/network';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { buildDataset, encryptShard, generateDatasetKey, type Hex, type ImportedDataset } from '../../src/index.ts';

/** Real libp2p nodes on 127.0.0.1, stopped by `stopAll`. */
export function nodeStarter() {
  const started: AicNetwork[] = [];
  return {
    async start(): Promise<AicNetwork> {
      const privateKey = secp256k1.utils.randomSecretKey();
      const net = await createAicNetwork({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], targetPeers: 0 });
      await net.start();
      started.push(net);
      return net;
    },
    stopAll: () => Promise.all(started.map((n) => n.stop())),
  };
}

/** The first listen address of a started node (a Multiaddr ending in its PeerId). */
export function addressOf(net: AicNetwork) {
  const at = net.libp2p.getMultiaddrs()[0];
  if (!at) throw new Error('the node is not listening');
  return at;
}

/**
 * A dataset of `rows` rows of 4,096 float32 features (16 KiB a row), `rowsPerShard` rows a shard, so shards span
 * several 256 KiB chunks; encrypted under a fresh key.
 */
export function multiChunkDataset(rows = 96, rowsPerShard = 40) {
  const width = 4096;
  const features = Float32Array.from({ length: rows * width }, (_, i) => Math.sin(i));
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
  const dataset: ImportedDataset = buildDataset(
    { rows, features, featureShape: [width], labels, labelShape: [] },
    {
      name: 'wide',
      sourceKind: 'tabular-csv',
      task: 'classification',
      classes: ['a', 'b'],
      featureNames: Array.from({ length: width }, (_, i) => `f${i}`),
      normalization: { kind: 'none' },
      preprocessing: {
        kind: 'tabular',
        labelColumn: 'c',
        numericColumns: Array.from({ length: width }, (_, i) => `f${i}`),
        categoricalColumns: [],
      },
    },
    { license: 'CC0-1.0', pricePerUseWei: 1n, rowsPerShard },
  );
  const key = generateDatasetKey();
  const datasetRoot = dataset.manifest.datasetRoot as Hex;
  const sealed = dataset.shards.map((shard, i) => encryptShard(key, datasetRoot, i, shard));
  return { ...dataset, key, datasetRoot, sealed };
}

/** A promise opened from outside: `open()` resolves it (for gating a holder on an event, never on time). */
export function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
