/** The API endpoints of models as assets: publish a manifest, call a model, buy uses on PLAZA. */
import { AicError, aicToWei, weiToAic } from '@aic/core';
import type { Logger } from 'pino';
import type { SpendingGuard } from '../api/budget.ts';
import { toTypedError } from '../api/errors.ts';
import type { ApiHandlers } from '../api/routes.ts';
import type { createModelCalls } from './model-calls.ts';
import type { ModelCatalog } from './model-catalog.ts';
import type { ContentStore } from './model-content.ts';
import type { ModelHoldingsBook } from './model-holdings.ts';
import type { Address, ModelLedger } from './model-ledger.ts';
import { publishModel } from './model-publish.ts';
import type { ModelServing } from './model-serving.ts';

export type ModelHandlers = Pick<ApiHandlers, 'publishModel' | 'setModelPrice' | 'callModel' | 'quoteUses' | 'buyUses'>;

export interface ModelHandlerComponents {
  ledger: ModelLedger;
  content: ContentStore;
  catalog: ModelCatalog;
  serving: ModelServing;
  calls: ReturnType<typeof createModelCalls>;
  holdings?: ModelHoldingsBook | undefined;
  /** The owner's budget caps: buying uses spends from the node's account like a job escrow. */
  spending?: SpendingGuard | undefined;
  logger: Logger;
}

/** Failures that show nothing was paid (the chain refused, or the request never reached it). */
const NOTHING_PAID = new Set(['LEDGER_REVERTED', 'API_INVALID_REQUEST', 'API_BUDGET_CAP_EXCEEDED']);

export function createModelHandlers(c: ModelHandlerComponents): ModelHandlers {
  return {
    publishModel: async ({ body }) => {
      const published = await publishModel(c, {
        manifestText: body.manifest,
        pricePerUseWei: aicToWei(body.pricePerUseAic),
      });
      await c.serving.announce({ modelId: published.modelId, kind: 'model', manifestCid: published.manifestCid });
      c.logger.info({ modelId: published.modelId, manifestCid: published.manifestCid }, 'model published');
      return { ...published, pricePerUseWei: String(published.pricePerUseWei) };
    },
    setModelPrice: async ({ body }) => {
      const pricePerUseWei = aicToWei(body.pricePerUseAic);
      const { transactionHash } = await c.ledger.setPricePerUse(BigInt(body.modelId), pricePerUseWei);
      c.logger.info({ modelId: body.modelId, pricePerUseWei: String(pricePerUseWei) }, 'model price set');
      return { modelId: body.modelId, pricePerUseWei: String(pricePerUseWei), transactionHash };
    },
    callModel: async ({ body }) => {
      if ((body.input === undefined) === (body.inputs === undefined)) {
        throw new AicError('MODEL_CALL_INPUT_INVALID', 'give exactly one of input (one sample) or inputs (samples)');
      }
      const samples = body.inputs ?? [body.input];
      const outcome = await c.calls.call(body.modelId, samples);
      const predictions = outcome.labels ? outcome.outputs.map((row) => labelOf(row, outcome.labels ?? [])) : undefined;
      return {
        modelId: body.modelId,
        outputs: outcome.outputs,
        ...(outcome.labels ? { labels: outcome.labels } : {}),
        ...(predictions ? { predictions } : {}),
        servedBy: outcome.servedBy,
        usesLeft: String(outcome.usesLeft),
      };
    },
    quoteUses: async ({ query }) => {
      const quote = await c.ledger.quoteUses(BigInt(query.assetId), BigInt(query.uses));
      return {
        assetId: query.assetId,
        uses: query.uses,
        pricePerUseWei: String(quote.pricePerUseWei),
        totalWei: String(quote.totalWei),
        total: weiToAic(quote.totalWei),
        protocolFeeWei: String(quote.protocolFeeWei),
      };
    },
    buyUses: async ({ body }) => {
      const tokenId = BigInt(body.assetId);
      const uses = BigInt(body.uses);
      const maxTotalWei = aicToWei(body.maxTotalAic);
      const quote = await c.ledger.quoteUses(tokenId, uses);
      if (quote.totalWei > maxTotalWei) {
        throw new AicError(
          'API_BUDGET_CAP_EXCEEDED',
          `${body.uses} uses of asset ${body.assetId} cost ${weiToAic(quote.totalWei)} AIC, over maxTotalAic ${body.maxTotalAic}`,
          { details: { totalWei: String(quote.totalWei), maxTotalWei: String(maxTotalWei) } },
        );
      }
      const reservation = await c.spending?.reserve(quote.totalWei, `${body.uses} uses of asset ${body.assetId}`);
      let bought: { paidWei: bigint; transactionHash: string };
      try {
        bought = await c.ledger.buyUses(tokenId, uses, maxTotalWei);
      } catch (error) {
        const code = toTypedError(error)?.code;
        if (code !== undefined && NOTHING_PAID.has(code)) await reservation?.release();
        throw error;
      }
      await reservation?.settle(bought.paidWei);
      const usesLeft = await c.ledger.usesLeft(tokenId, (await c.ledger.account()) as Address);
      c.logger.info({ assetId: body.assetId, uses: body.uses, paidWei: String(bought.paidWei) }, 'uses bought');
      return {
        assetId: body.assetId,
        uses: body.uses,
        pricePerUseWei: String(quote.pricePerUseWei),
        paidWei: String(bought.paidWei),
        paid: weiToAic(bought.paidWei),
        protocolFeeWei: String(quote.protocolFeeWei),
        usesLeft: String(usesLeft),
        transactionHash: bought.transactionHash,
      };
    },
  };
}

/** The label of the largest output unit. */
function labelOf(row: readonly number[], labels: readonly string[]): string {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] ?? 0) > (row[best] ?? 0)) best = i;
  return labels[best] ?? String(best);
}
