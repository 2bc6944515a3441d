// Filled in by its owner; see docs/ARCHITECTURE.md.
export {};
