import type { RfmScores } from "./scores";

// Shopify's 11 RFM group names (Customer.statistics.rfmGroup), placed on a grid of R against FM = (F + M) / 2.
// Shopify describes each group in words but does not publish the cell boundaries; this grid follows its
// descriptions ("very recent" = R5, "recent" = R3–4, "without recent purchases" = R1–2; FM low < 2.5 ≤ mid < 4 ≤
// high). Written down in docs/segments.md#rfm.
//
//            FM 1–2          FM 2.5–3.5        FM 4–5
//   R 5      New             Active            Champions
//   R 4      Promising       Active            Loyal
//   R 3      Needs attention Needs attention   Loyal
//   R 2      Almost lost     At risk           Previously loyal
//   R 1      Dormant         At risk           Previously loyal
//   no purchase: Prospects

export const RFM_GROUPS = [
  "champions",
  "loyal",
  "active",
  "new",
  "promising",
  "needs_attention",
  "at_risk",
  "almost_lost",
  "previously_loyal",
  "dormant",
  "prospects",
] as const;

export type RfmGroup = (typeof RFM_GROUPS)[number];

export const RFM_GROUP_NAMES: Record<RfmGroup, string> = {
  champions: "Champions",
  loyal: "Loyal",
  active: "Active",
  new: "New",
  promising: "Promising",
  needs_attention: "Needs attention",
  at_risk: "At risk",
  almost_lost: "Almost lost",
  previously_loyal: "Previously loyal",
  dormant: "Dormant",
  prospects: "Prospects",
};

type Band = "low" | "mid" | "high";

const GRID: Record<number, Record<Band, RfmGroup>> = {
  5: { low: "new", mid: "active", high: "champions" },
  4: { low: "promising", mid: "active", high: "loyal" },
  3: { low: "needs_attention", mid: "needs_attention", high: "loyal" },
  2: { low: "almost_lost", mid: "at_risk", high: "previously_loyal" },
  1: { low: "dormant", mid: "at_risk", high: "previously_loyal" },
};

export function fmBand(fm: number): Band {
  if (fm < 2.5) return "low";
  return fm < 4 ? "mid" : "high";
}

export function rfmGroup(scores: RfmScores | null): RfmGroup {
  if (!scores) return "prospects";
  return GRID[scores.r]![fmBand(scores.fm)];
}
