export { type Bytes32Input, bytesToHex0x, toBytes32 } from './bytes32.ts';
export {
  hashPair,
  merkleLeaf,
  merkleProof,
  merkleRoot,
  merkleRootHex,
  processMerkleProof,
  verifyMerkleProof,
} from './tree.ts';
