/**
 * `npm run bench -- verify`: what verification costs. A deterministic training job (Iris template, cpu backend)
 * commits every 20 steps; a verifier re-runs the segments sampled for 99 % detection of a provider faking 10 % of
 * them. Baseline in the same run: the job itself.
 * Last line: {"bench":"verify","overhead":..,"pDetect":..} (overhead = verification compute / job compute; goal ≤ 0.05).
 */
import '@aic/core/polyfills';
import { type Checkpoint, irisTemplate, trainJob, verifySegment } from '@aic/model-vessel';
import { quoteVerification, sampleSegments } from '@aic/verification';

const CONFIDENCE = 0.99;
const CHEAT_FRACTION = 0.1;
const { train } = await irisTemplate.loadData();
// A job long enough that 44 sampled segments are a small part of it: ~60,000 steps, a commitment every 20.
const EPOCHS = Number(process.env.AIC_VERIFY_EPOCHS ?? 1_000);
const STEPS_PER_SEGMENT = Number(process.env.AIC_VERIFY_SEGMENT_STEPS ?? 20);
const spec = {
  manifest: irisTemplate.manifest,
  backend: 'cpu' as const,
  seed: 11,
  commitEverySteps: STEPS_PER_SEGMENT,
  hyperparameters: { epochs: EPOCHS, batchSize: 2 },
};

const checkpoints: Checkpoint[] = [];
const jobStart = performance.now();
const result = await trainJob(spec, train, { onCheckpoint: (c) => void checkpoints.push(c) });
const jobMs = performance.now() - jobStart;
result.model.dispose();
const segments = result.commitments.length - 1;
const quote = quoteVerification({ segments, confidence: CONFIDENCE, cheatFraction: CHEAT_FRACTION });
console.log(
  `job: ${segments} segments (${STEPS_PER_SEGMENT} steps each) in ${jobMs.toFixed(0)} ms; quote: ${quote.samples} samples, P(detect) ${quote.pDetect.toFixed(4)}`,
);

const picked = sampleSegments(0xb10cn, 'bench-job', segments, quote.samples);
const verifyStart = performance.now();
let mismatches = 0;
for (const i of picked) {
  const verdict = await verifySegment(spec, train, checkpoints[i]!, result.commitments[i + 1]!);
  if (!verdict.match) mismatches++;
}
const verifyMs = performance.now() - verifyStart;
console.log(
  `verification: ${picked.length} segments re-run in ${verifyMs.toFixed(0)} ms, ${mismatches} mismatches (honest job)`,
);

// Detection rate of a cheater faking 10 % of the segments, over seeded trials of the verifier's draw.
const faked = new Set(sampleSegments(0xfa4en, 'cheater', segments, Math.round(segments * CHEAT_FRACTION)));
const trials = 2_000;
let caught = 0;
for (let t = 0; t < trials; t++) {
  if (sampleSegments(BigInt(t) * 7_919n + 3n, `trial-${t}`, segments, quote.samples).some((i) => faked.has(i)))
    caught++;
}
console.log(`empirical detection over ${trials} draws: ${(caught / trials).toFixed(4)}`);
console.log(
  JSON.stringify({
    bench: 'verify',
    overhead: Number((verifyMs / jobMs).toFixed(4)),
    pDetect: Number(quote.pDetect.toFixed(4)),
    empiricalDetect: Number((caught / trials).toFixed(4)),
    samples: quote.samples,
    segments,
    sampledFraction: Number(quote.overhead.toFixed(4)),
    jobMs: Math.round(jobMs),
    verifyMs: Math.round(verifyMs),
  }),
);
