// Node 20 lacks Promise.withResolvers, which libp2p and Helia dependencies use (see docs/ARCHITECTURE.md).
import '@aic/core/polyfills';
