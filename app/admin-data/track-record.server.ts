import type { PrismaClient } from "@prisma/client";
import type { BacktestReport } from "~/segments/predictive";
import { trackRecord } from "~/segments/track-record";
import type { TrackRecord } from "~/segments/track-record";

// The track record of a shop's predictions for the admin pages: the latest full pass's backtest in words, and the
// earlier passes' totals (PredictionBacktest keeps one row per pass).

export interface TrackRecordData {
  latest: TrackRecord | null;
  /** Earlier passes, newest first: what was expected and what came. */
  history: {
    asOf: string;
    horizonDays: number;
    expectedOrders: number;
    actualOrders: number;
    auc: number | null;
    model: string;
  }[];
}

export async function trackRecordData(prisma: PrismaClient, shopId: string, passes = 6): Promise<TrackRecordData> {
  const rows = await prisma.predictionBacktest.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: passes,
  });
  const [latest] = rows;
  return {
    latest: latest ? trackRecord(latest.report as unknown as BacktestReport) : null,
    history: rows.map((row) => ({
      asOf: row.asOf.toISOString().slice(0, 10),
      horizonDays: row.horizonDays,
      expectedOrders: row.expectedOrders,
      actualOrders: row.actualOrders,
      auc: row.auc,
      model: row.chosenModel,
    })),
  };
}
