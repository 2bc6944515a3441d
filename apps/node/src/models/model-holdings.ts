/**
 * The part of the node's holdings book (open market interface 4: H-B's `HoldingsBook`, gossip topic
 * `aic/holdings/1`) that models use: announce what this node serves, and find who serves a model. Optional: without
 * a book, a caller falls back to the asset's owner on chain (whose node holds a TrainedAI's weights).
 */
export interface ModelHolding {
  kind: 'model';
  assetId: string;
  /** The asset's content root: keccak256 of the manifest (Model NFT) or its checkpoint root (TrainedAI). */
  root: `0x${string}`;
  bytes: number;
  role: 'owner' | 'serving';
}

export interface ModelHoldingsBook {
  announce(holding: ModelHolding): void | Promise<void>;
  holdersOf(
    kind: 'model',
    assetId: string,
  ): ReadonlyArray<{ peerId: string; role: string; multiaddrs?: readonly string[] | undefined }>;
}
