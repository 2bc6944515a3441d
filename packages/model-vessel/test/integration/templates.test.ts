import { describe, expect, it } from 'vitest';
import { evaluate, majorityBaseline, TEMPLATES, trainJob } from '../../src/index.ts';

// Each template trains with its own job (backend, seed, defaults) and must reach its reference accuracy on held-out data.
describe.each(Object.values(TEMPLATES))('template $id', (template) => {
  it(`reaches its reference test accuracy`, async () => {
    const data = await template.loadData();
    const progress: number[] = [];
    const result = await trainJob({ manifest: template.manifest, ...template.job }, data.train, {
      onProgress: (p) => progress.push(p.step),
    });
    const { accuracy } = await evaluate(result.model, data.test);
    result.model.dispose();
    expect(progress.at(-1)).toBe(result.steps);
    expect(accuracy).toBeGreaterThanOrEqual(template.referenceAccuracy);
    if (template.id === 'intent') expect(accuracy).toBeGreaterThanOrEqual(majorityBaseline(data.test) + 0.5);
    console.log(
      `template ${template.id}: test accuracy ${accuracy?.toFixed(3)} (reference ${template.referenceAccuracy})`,
    );
  });
});
