export * from './keystore-files.ts';
export * from './password.ts';
