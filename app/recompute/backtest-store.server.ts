import type { Prisma } from "@prisma/client";
import type { BacktestReport } from "~/segments/predictive";

// Each full pass's backtest, kept as the track record of the shop's predictions (one row per pass that had the
// history for one). The pass's model state holds the latest too; this table keeps the earlier ones.

export async function saveBacktest(
  prisma: Prisma.TransactionClient,
  shopId: string,
  backtest: BacktestReport,
): Promise<void> {
  await prisma.predictionBacktest.create({
    data: {
      shopId,
      asOf: new Date(`${backtest.asOf}T00:00:00Z`),
      cutoff: new Date(`${backtest.cutoff}T00:00:00Z`),
      horizonDays: backtest.horizonDays,
      chosenModel: backtest.chosen.name,
      seasonal: backtest.chosen.seasonal,
      expectedOrders: backtest.score.expectedOrders,
      actualOrders: backtest.score.actualOrders,
      auc: backtest.score.auc,
      confidence: backtest.confidence,
      report: backtest as unknown as Prisma.InputJsonValue,
    },
  });
}
