/**
 * A per-`describe` scenario on top of the shared fixture: `setup` runs once on a fresh deployment, then every test
 * starts from the chain state right after it (an EVM snapshot), so tests stay isolated without repeating the set-up.
 */
import { beforeAll, beforeEach } from 'vitest';
import { type Fixture, loadFixture } from '../../helpers/fixture.ts';

export interface Scenario<T> {
  f: Fixture;
  s: T;
}

/** Registers the hooks in the enclosing `describe` and returns a getter for the fixture and the set-up's result. */
export function useScenario<T>(setup: (f: Fixture) => Promise<T>): () => Scenario<T> {
  let scenario: Scenario<T> | undefined;
  let snapshot: `0x${string}` | undefined;
  beforeAll(async () => {
    const f = await loadFixture();
    await f.reset();
    const s = await setup(f);
    snapshot = await f.testClient.snapshot();
    scenario = { f, s };
  });
  beforeEach(async () => {
    if (!scenario || !snapshot) throw new Error('scenario set-up did not finish');
    await scenario.f.testClient.revert({ id: snapshot });
    snapshot = await scenario.f.testClient.snapshot(); // a snapshot can be reverted to only once
  });
  return () => {
    if (!scenario) throw new Error('scenario read before its set-up ran');
    return scenario;
  };
}
