import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerIdFromPrivateKey } from '@aic/network';
import { createApiClient } from '@aic/node/api';
import { type NodeProcess, spawnNodeProcess } from '@aic/node/spawn';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIC_BIN, aicJson, runAic } from '../helpers/run-aic.ts';

const PASSWORD = 'cli-test-password';
const env = { AIC_PASSWORD: PASSWORD };
const listenArgs = ['--listen', '/ip4/127.0.0.1/tcp/0', '--api-port', '0'];

interface NewAccount {
  address: string;
  peerId: string;
  keystore: string;
}

/** One-line errors: stderr is exactly `CODE: message`. */
function expectOneLineError(stderr: string, code: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${code}: \\S`));
}

describe('aic against running nodes', () => {
  let root: string;
  let account: NewAccount;
  let nodeA: NodeProcess; // started with `aic node start`
  let nodeB: NodeProcess; // a second node to be a peer
  let apiA: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-cli-'));
    // A low scrypt cost (hidden flag) keeps the suite fast; the default is the standard 2^18.
    const [a, b] = await Promise.all([
      aicJson<NewAccount>(['--data-dir', join(root, 'a'), 'account', 'new', '--scrypt-n', '1024'], env),
      aicJson<NewAccount>(['--data-dir', join(root, 'b'), 'account', 'new', '--scrypt-n', '1024'], env),
    ]);
    account = a;
    expect(b.address).not.toBe(a.address);
    nodeA = await spawnNodeProcess({
      entry: [AIC_BIN, '--data-dir', join(root, 'a'), 'node', 'start'],
      args: listenArgs,
      env,
    });
    apiA = nodeA.ready.apiUrl;
    nodeB = await spawnNodeProcess({
      args: ['--data-dir', join(root, 'b'), ...listenArgs, '--bootstrap', nodeA.ready.multiaddrs[0]!],
      env,
    });
  });

  afterAll(async () => {
    const codes = await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await rm(root, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  it('writes a keystore that ethers decrypts, whose key is the PeerId and the address', async () => {
    const wallet = await Wallet.fromEncryptedJson(await readFile(account.keystore, 'utf8'), PASSWORD);
    expect(wallet.address).toBe(account.address);
    expect(peerIdFromPrivateKey(wallet.privateKey as `0x${string}`).toString()).toBe(account.peerId);
    const status = await aicJson<{ peerId: string; address: string }>(['--api', apiA, 'node', 'status']);
    expect(status.peerId).toBe(account.peerId);
    expect(status.address).toBe(wallet.address);
  });

  it('lists accounts and prints the address', async () => {
    const list = await aicJson<{ accounts: Array<{ address: string }> }>([
      '--data-dir',
      join(root, 'a'),
      'account',
      'list',
    ]);
    expect(list.accounts.map((x) => x.address)).toEqual([account.address]);
    const plain = await runAic(['--data-dir', join(root, 'a'), 'account', 'address']);
    expect(plain.stdout.trim()).toBe(account.address);
  });

  it('shows status in human form and peers as JSON', async () => {
    const human = await runAic(['--api', apiA, 'node', 'status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`peer id     ${account.peerId}`);
    const api = createApiClient(apiA);
    while ((await api.status()).connectedPeers < 1) await new Promise((r) => setTimeout(r, 100));
    const { peers } = await aicJson<{ peers: Array<{ peerId: string; connected: boolean }> }>(['--api', apiA, 'peers']);
    expect(peers).toContainEqual(expect.objectContaining({ peerId: nodeB.ready.peerId, connected: true }));
  });

  it('publishes an offer with flags and lists it on both nodes', async () => {
    const offer = await aicJson<{ offerId: string; priceWeiPerHour: string; hardware: { gpus: unknown[] } }>([
      // Writes send the node's API token, which the CLI reads from the node's --data-dir.
      ...[
        '--data-dir',
        join(root, 'b'),
        '--api',
        nodeB.ready.apiUrl,
        'offers',
        'publish',
        '--price',
        '1.5',
        '--gpus',
        '2',
      ],
      ...['--gpu-model', 'H100', '--gpu-memory-gib', '80', '--backends', 'cpu,webgpu'],
    ]);
    expect(offer.priceWeiPerHour).toBe('1500000000000000000');
    expect(offer.hardware.gpus).toHaveLength(2);
    const own = await aicJson<{ offers: Array<{ offerId: string }> }>([
      '--api',
      nodeB.ready.apiUrl,
      'offers',
      'list',
      '--source',
      'own',
    ]);
    expect(own.offers.map((o) => o.offerId)).toEqual([offer.offerId]);
    const api = createApiClient(apiA);
    const deadline = Date.now() + 20_000;
    while (!(await api.listOffers({ query: { source: 'received' } })).offers.some((o) => o.offerId === offer.offerId)) {
      if (Date.now() > deadline) throw new Error('offer never arrived at node A');
      await new Promise((r) => setTimeout(r, 100));
    }
    const listed = await runAic(['--api', apiA, 'offers', 'list']);
    expect(listed.stdout).toContain(offer.offerId);
    expect(listed.stdout).toContain('1.5');
  });

  it('announces a job with the API token, and is refused without the right one', async () => {
    const announce = [
      ...['--api', apiA, 'jobs', 'announce', '--task', 'image-classification', '--model', 'bafy-model'],
      ...['--max-price', '2', '--min-gpus', '1', '--backend', 'webgpu'],
    ];
    const job = await aicJson<{ jobId: string; requester: string }>(['--data-dir', join(root, 'a'), ...announce]);
    expect(job.requester).toBe(account.address);
    expect(job.jobId).toMatch(/^0x[0-9a-f]{64}$/);
    const wrongToken = await runAic(announce, { AIC_API_TOKEN: 'x'.repeat(43) });
    expect(wrongToken.code).toBe(1);
    expectOneLineError(wrongToken.stderr, 'API_UNAUTHORIZED');
    const noToken = await runAic(['--data-dir', join(root, 'nobody'), ...announce]);
    expect(noToken.code).toBe(1);
    expectOneLineError(noToken.stderr, 'API_TOKEN_UNREADABLE');
    expect(noToken.stderr).toContain(join(root, 'nobody', 'node', 'api-token'));
  });

  it('fails with a non-zero exit and one clear line', async () => {
    const badArg = await runAic(['--api', apiA, 'offers', 'publish', '--gpus', 'many']);
    expect(badArg.code).toBe(2);
    expectOneLineError(badArg.stderr, 'CLI_INVALID_ARGUMENT');

    const missingPrice = await runAic(['--api', apiA, 'offers', 'publish']);
    expect(missingPrice.code).toBe(2);
    expectOneLineError(missingPrice.stderr, 'CLI_INVALID_ARGUMENT');
    expect(missingPrice.stderr).toContain('--price');

    const badBody = await runAic(['--api', apiA, 'offers', 'publish', '--price', '1', '--ttl', '0']);
    expect(badBody.code).toBe(1);
    expectOneLineError(badBody.stderr, 'API_INVALID_REQUEST');
    expect(badBody.stderr).toContain('ttlSeconds');

    const unreachable = await runAic(['--json', '--api', 'http://127.0.0.1:9', 'peers']);
    expect(unreachable.code).toBe(1);
    expectOneLineError(unreachable.stderr, 'API_UNREACHABLE');
    expect(JSON.parse(unreachable.stdout).error.code).toBe('API_UNREACHABLE');

    const wrongPassword = await runAic(['--data-dir', join(root, 'a'), 'node', 'start', ...listenArgs], {
      AIC_PASSWORD: 'nope',
    });
    expect(wrongPassword.code).toBe(1);
    expectOneLineError(wrongPassword.stderr, 'KEYSTORE_WRONG_PASSWORD');
    expect(wrongPassword.stderr + wrongPassword.stdout).not.toContain('nope');
  });
});
