import type { Classification } from "../../app/segments/classify.ts";
import { formatMoney } from "../../app/money/format.ts";
import { LIFECYCLE_NAMES, LIFECYCLE_STAGES } from "../../app/segments/lifecycle/stage.ts";
import { RFM_GROUP_NAMES, RFM_GROUPS } from "../../app/segments/rfm/groups.ts";
import type { LoyaltyProgram } from "../../app/segments/tiers/program.ts";
import { BUILTIN_SEGMENT_NAMES, BUILTIN_SEGMENTS } from "../../app/segments/winback/occasions.ts";

// The CLI's printed summary: how many customers landed in each label.

export class LabelCounts {
  customers = 0;
  readonly lifecycle = new Map<string, number>();
  readonly tiers = new Map<string, number>();
  readonly rfm = new Map<string, number>();
  readonly segments = new Map<string, number>();

  add(classification: Classification): void {
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    this.customers += 1;
    bump(this.lifecycle, classification.lifecycle.stage);
    bump(this.tiers, classification.tier?.standing.tier?.id ?? "none");
    bump(this.rfm, classification.rfmGroup);
    for (const segment of classification.segments) bump(this.segments, segment);
  }

  toJSON() {
    const object = (map: Map<string, number>) => Object.fromEntries(map);
    return {
      lifecycle: object(this.lifecycle),
      tiers: object(this.tiers),
      rfmGroups: object(this.rfm),
      segments: object(this.segments),
    };
  }
}

function table(title: string, rows: Array<[string, number]>, total: number): string[] {
  const width = Math.max(title.length, ...rows.map(([label]) => label.length));
  const share = (count: number) => (total > 0 ? `${((count / total) * 100).toFixed(1)}%` : "–");
  return [
    `${title.padEnd(width)}  ${"customers".padStart(10)}  ${"share".padStart(6)}`,
    ...rows.map(
      ([label, count]) =>
        `${label.padEnd(width)}  ${count.toLocaleString("en").padStart(10)}  ${share(count).padStart(6)}`,
    ),
    "",
  ];
}

export function describeProgram(program: LoyaltyProgram, currency: string): string {
  const window = program.window.kind === "rolling" ? `rolling ${program.window.days} days` : program.window.kind;
  const tiers = program.tiers.map((tier) => {
    const parts = [];
    if (tier.enter.spendMinor !== null) parts.push(formatMoney(tier.enter.spendMinor, currency));
    if (tier.enter.orders !== null) parts.push(`${tier.enter.orders} order${tier.enter.orders === 1 ? "" : "s"}`);
    return `${tier.name} ${parts.join(program.combine === "any" ? " or " : " and ")}`;
  });
  return `${tiers.join(" · ")} (${window}, ${program.graceDays}-day grace)`;
}

export function summaryTables(counts: LabelCounts, program: LoyaltyProgram): string[] {
  const total = counts.customers;
  return [
    ...table(
      "Lifecycle",
      LIFECYCLE_STAGES.map((stage) => [LIFECYCLE_NAMES[stage], counts.lifecycle.get(stage) ?? 0]),
      total,
    ),
    ...table(
      "Tier",
      [
        ...program.tiers.map((tier): [string, number] => [tier.name, counts.tiers.get(tier.id) ?? 0]),
        ["(none)", counts.tiers.get("none") ?? 0],
      ],
      total,
    ),
    ...table(
      "RFM group",
      RFM_GROUPS.map((group) => [RFM_GROUP_NAMES[group], counts.rfm.get(group) ?? 0]),
      total,
    ),
    ...table(
      "Segment",
      BUILTIN_SEGMENTS.map((key) => [BUILTIN_SEGMENT_NAMES[key], counts.segments.get(key) ?? 0]),
      total,
    ),
  ];
}
