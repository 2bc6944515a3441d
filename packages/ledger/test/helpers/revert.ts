import { expect } from 'vitest';
import { decodeRevert } from '../../src/errors.ts';

/** Asserts that `action` reverts with the custom error `errorName` (and, if given, exactly these arguments). */
export async function expectRevert(
  action: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
): Promise<void> {
  let caught: unknown;
  try {
    await action;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a revert with ${errorName}`).toBeDefined();
  const decoded = decodeRevert(caught) ?? decodeRevert((caught as { cause?: unknown }).cause);
  expect(decoded?.errorName, String(caught).split('\n')[0]).toBe(errorName);
  if (args) expect(decoded?.args).toEqual(args);
}
