import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileContracts } from '../../scripts/compile.ts';

describe('compiled artifacts', () => {
  let fresh: Map<string, string>;
  beforeAll(() => {
    fresh = compileContracts();
  });

  it('are exactly what the npm solc compiler makes of contracts/ today (run `npm run compile` after editing .sol)', () => {
    expect(fresh.size).toBeGreaterThanOrEqual(9);
    for (const [path, body] of fresh) expect(readFileSync(path, 'utf8'), path).toBe(body);
  });

  it('fit the 24,576-byte contract size limit (EIP-170)', () => {
    for (const [path, body] of fresh) {
      const size = Number(/deployedBytecodeSize = (\d+)/.exec(body)?.[1]);
      expect(size, path).toBeLessThanOrEqual(24_576);
    }
  });
});
