export * from './errors/index.ts';
export * from './random.ts';
export * from './retry.ts';
export * from './units.ts';
