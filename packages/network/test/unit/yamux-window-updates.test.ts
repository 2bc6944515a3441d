import { StreamState, YamuxStream } from '@chainsafe/libp2p-yamux/stream';
import { Uint8ArrayList } from 'uint8arraylist';
import { describe, expect, it } from 'vitest';
import { installHalfWindowUpdates } from '../../src/yamux-window-updates.ts';

// Yamux frame types (yamux spec): 0 data, 1 window update.
const DATA = 0;
const WINDOW_UPDATE = 1;
const WINDOW = 256 * 1024;
const FRAME = 1024;

interface SentFrame {
  type: number;
  flag: number;
  length: number;
}

/** An established inbound stream whose outgoing frames are recorded, and a sender honouring its window. */
function receiver() {
  const sent: SentFrame[] = [];
  const noop = () => {};
  const log = Object.assign(noop, { enabled: false, trace: noop, error: noop, newScope: () => log });
  const stream = new YamuxStream({
    id: '1',
    streamId: 1,
    direction: 'inbound',
    log,
    state: StreamState.Established,
    initialStreamWindowSize: WINDOW,
    maxStreamWindowSize: WINDOW,
    getRTT: () => -1,
    sendFrame: (header) => {
      sent.push({ type: header.type, flag: header.flag, length: header.length });
      return true;
    },
  } as ConstructorParameters<typeof YamuxStream>[0]);
  stream.addEventListener('message', noop);
  let senderWindow = WINDOW;
  let credited = 0;
  /** Sends one frame if the sender's window allows (false: the sender would stall). */
  const sendFrame = (): boolean => {
    for (const f of sent.slice(credited)) if (f.type === WINDOW_UPDATE) senderWindow += f.length;
    credited = sent.length;
    if (senderWindow < FRAME) return false;
    senderWindow -= FRAME;
    stream.handleData({
      header: { type: DATA, flag: 0, streamID: 1, length: FRAME },
      data: new Uint8ArrayList(new Uint8Array(FRAME)),
    } as unknown as Parameters<YamuxStream['handleData']>[0]);
    return true;
  };
  return { sent, sendFrame, updates: () => sent.filter((f) => f.type === WINDOW_UPDATE).length };
}

describe('yamux window updates once half the window is used', () => {
  installHalfWindowUpdates();

  it('sends no update while less than half the receive window was used (yamux 8.0.1 sent one per frame)', () => {
    const r = receiver();
    for (let i = 0; i < 100; i++) expect(r.sendFrame()).toBe(true);
    expect(r.updates()).toBe(0);
  });

  it('keeps a sender going through many windows with about two updates per window', () => {
    const r = receiver();
    const frames = (10 * WINDOW) / FRAME;
    for (let i = 0; i < frames; i++) expect(r.sendFrame()).toBe(true);
    expect(r.updates()).toBeGreaterThanOrEqual(19);
    expect(r.updates()).toBeLessThanOrEqual(21);
    // Every update restores the whole window: amounts are yamux's own.
    for (const f of r.sent) expect(f.length).toBe(WINDOW / 2 + FRAME);
  });

  it('installs once', () => {
    const before = YamuxStream.prototype.sendWindowUpdate;
    installHalfWindowUpdates();
    expect(YamuxStream.prototype.sendWindowUpdate).toBe(before);
  });
});
