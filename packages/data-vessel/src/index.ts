export * from './commitments/index.ts';
export * from './crypto/index.ts';
export * from './digitize/index.ts';
export * from './files/index.ts';
export * from './importers/index.ts';
export * from './limits.ts';
export * from './manifest/index.ts';
export * from './preview/index.ts';
