/** The coordinator's LocalityPort over the holdings book: a dataset's holders with the coordinates they announced. */
import type { LocalityPort } from '@aic/gpu-vessel';
import type { HoldingsBook } from './holdings-book.ts';

/** Holders of a Dataset NFT (owner, replicas, serving nodes, caches), each with its announced Vivaldi coordinate. */
export function holdingsLocality(book: HoldingsBook): LocalityPort {
  return {
    datasetHolders: async (datasetId) =>
      book.holdersOf('dataset', datasetId).map((h) => ({
        peerId: h.peerId,
        ...(h.coordinate === undefined ? {} : { coordinate: { vec: h.coordinate.vec, height: h.coordinate.height } }),
      })),
  };
}
