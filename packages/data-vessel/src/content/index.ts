export { type ContentStore, openContentStore, parseContentCid } from './content-store.ts';
