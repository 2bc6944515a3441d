export * from './errors/index.ts';
export * from './units.ts';
