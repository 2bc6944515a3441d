import { isAicError } from '@aic/core';
import type { GossipSub, Message } from '@libp2p/gossipsub';
import { TopicValidatorResult } from '@libp2p/gossipsub';
import type { PeerId } from '@libp2p/interface';
import { NetworkError } from '../errors.ts';
import { RATE_LIMITS } from '../limits.ts';
import type { NetworkLogger } from '../logger.ts';
import { type Offence, offenceOfErrorCode } from '../scoring/offences.ts';
import { TokenBuckets } from '../scoring/token-bucket.ts';
import type { MessageSpec, VerifiedMessage } from '../wire/message-spec.ts';
import type { WireCodec } from '../wire/wire-codec.ts';

/** One subscribed topic: how to open its messages and what to do with a verified one. */
export interface TopicRoute<T> {
  spec: MessageSpec<T>;
  /** The topic's handler (see wire/messages/*): returns nothing to drop the message quietly. */
  deliver(message: VerifiedMessage<T>, relayedBy: string): void;
}

export interface GossipRouterComponents {
  pubsub: GossipSub;
  codec: WireCodec;
  reportOffence(peerId: string, offence: Offence, code: string): void;
  logger: NetworkLogger;
}

/**
 * Connects AIC topics to gossipsub: a topic validator opens every inbound message through the wire codec once
 * (Reject on any failure, so gossipsub's score falls and nothing is forwarded; the app score falls too), and
 * verified messages are handed to the topic's handler when gossipsub delivers them.
 *
 * Validation stays before forwarding (gossipsub's model, and the point: a relay that forwarded first would spread a
 * forged or replayed offer to the whole network before anyone refused it). The handler, though, runs after the
 * forwarding: gossipsub dispatches a message to the application synchronously and only then sends it on to the mesh,
 * so whatever the handlers do (stores, dial hints, listeners) would delay every hop after this one.
 */
export class GossipRouter {
  readonly #c: GossipRouterComponents;
  // Validator → delivery hand-off: gossipsub passes the same Message object to both.
  readonly #verified = new WeakMap<Message, VerifiedMessage<unknown>>();
  readonly #routes = new Map<string, TopicRoute<unknown>>();
  readonly #rate = new TokenBuckets(RATE_LIMITS.gossipPerSecondPerPeer, RATE_LIMITS.gossipBurstPerPeer);
  #running = false;
  readonly #onMessage = (event: CustomEvent<{ propagationSource: PeerId; msg: Message }>) =>
    this.#deliver(event.detail);

  constructor(components: GossipRouterComponents) {
    this.#c = components;
  }

  /** Registers a topic named after `route.spec.type` (subscribed on start). */
  route<T>(route: TopicRoute<T>): void {
    this.#routes.set(route.spec.type, route as TopicRoute<unknown>);
    if (this.#running) this.#subscribe(route.spec.type, route as TopicRoute<unknown>);
  }

  #subscribe(topic: string, route: TopicRoute<unknown>): void {
    this.#c.pubsub.topicValidators.set(topic, (peer, msg) => this.#validate(route.spec, peer, msg));
    this.#c.pubsub.subscribe(topic);
  }

  /** Installs the validators and subscribes (gossipsub must be started). */
  start(): void {
    this.#running = true;
    for (const [topic, route] of this.#routes) this.#subscribe(topic, route);
    this.#c.pubsub.addEventListener('gossipsub:message', this.#onMessage);
  }

  stop(): void {
    this.#running = false;
    this.#c.pubsub.removeEventListener('gossipsub:message', this.#onMessage);
  }

  /** Seals and publishes `value` on its topic; resolves to the number of peers it was sent to. */
  async publish<T>(spec: MessageSpec<T>, value: T): Promise<number> {
    const bytes = this.#c.codec.seal(spec, value);
    try {
      const result = await this.#c.pubsub.publish(spec.type, bytes);
      return result.recipients.length;
    } catch (cause) {
      throw new NetworkError('NETWORK_PUBLISH_FAILED', `could not publish ${spec.type}`, { cause });
    }
  }

  #validate<T>(spec: MessageSpec<T>, peer: PeerId, msg: Message): TopicValidatorResult {
    if (!this.#rate.take(peer.toString(), Date.now())) return TopicValidatorResult.Ignore;
    try {
      this.#verified.set(msg, this.#c.codec.open(spec, msg.data));
      return TopicValidatorResult.Accept;
    } catch (error) {
      const code = isAicError(error) ? error.code : 'UNKNOWN';
      const offence = offenceOfErrorCode(code) ?? 'protocol-violation';
      this.#c.logger.debug({ topic: spec.type, peer: peer.toString(), code }, 'rejected gossip message');
      this.#c.reportOffence(peer.toString(), offence, code);
      return TopicValidatorResult.Reject;
    }
  }

  #deliver({ propagationSource, msg }: { propagationSource: PeerId; msg: Message }): void {
    const verified = this.#verified.get(msg);
    const route = this.#routes.get(msg.topic);
    if (verified === undefined || route === undefined) return;
    this.#verified.delete(msg);
    const relayedBy = propagationSource.toString();
    // After gossipsub's forwarding (same tick, queued behind the sends it starts).
    setImmediate(() => {
      if (this.#running) route.deliver(verified, relayedBy);
    });
  }
}
