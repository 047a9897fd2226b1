import type { OfferStatus } from "~/offers/model";
import type { VerdictKind } from "~/offers/measurement/report";

export const STATUS_BADGE: Record<OfferStatus, { label: string; tone?: "success" | "attention" | "info" }> = {
  draft: { label: "Draft", tone: "info" },
  active: { label: "Active", tone: "success" },
  paused: { label: "Paused", tone: "attention" },
  archived: { label: "Archived" },
};

const VERDICT_SUMMARY: Record<VerdictKind, string> = {
  positive: "Working",
  negative: "Doing worse than no offer",
  inconclusive: "No clear difference yet",
  too_early: "Too early to tell",
  no_holdout: "Nothing to compare with yet",
  not_measured: "Not measured: no holdout",
};

/** An offer's result in a few words for lists ("Not measured: guests have no holdout"); the offer page says more. */
export function verdictSummary(kind: VerdictKind | null, audience: string): string {
  if (!kind) return "Not shown yet";
  if (kind === "not_measured" && audience === "guests") return "Not measured: guests have no holdout";
  return VERDICT_SUMMARY[kind];
}
