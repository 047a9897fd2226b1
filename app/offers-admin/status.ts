import type { OfferStatus } from "~/offers/model";

export const STATUS_BADGE: Record<OfferStatus, { label: string; tone?: "success" | "attention" | "info" }> = {
  draft: { label: "Draft", tone: "info" },
  active: { label: "Active", tone: "success" },
  paused: { label: "Paused", tone: "attention" },
  archived: { label: "Archived" },
};
