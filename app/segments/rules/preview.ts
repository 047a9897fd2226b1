import { percent, plural } from "../explain/text";
import type { SegmentSettings } from "../settings";
import { BUILTIN_SEGMENT_NAMES, BUILTIN_SEGMENTS } from "../winback/occasions";
import type { CompiledRule } from "./rule";
import type { RuleSubject } from "./subject";

// Before a custom segment is saved: how many customers it holds, and whether it is worth having. Too many tiny
// or duplicate segments is the over-segmentation problem merchants run into; Cadence warns about
//   - tiny segments: fewer members than customSegments.tinyMinimum (default 25);
//   - near-duplicates: a Jaccard overlap |A∩B| / |A∪B| of at least nearDuplicateOverlap (default 90%) with an
//     existing segment, built-in or custom.

export interface ExistingSegment {
  key: string;
  name: string;
  members: ReadonlySet<string>;
}

export interface SegmentOverlap {
  key: string;
  name: string;
  members: number;
  shared: number;
  jaccard: number;
}

export type SegmentWarning =
  | { kind: "empty"; message: string }
  | { kind: "tiny"; count: number; minimum: number; message: string }
  | { kind: "near-duplicate"; key: string; name: string; overlap: number; message: string };

export interface SegmentPreview {
  count: number;
  /** Customers evaluated. */
  customers: number;
  /** A few matching customer IDs, for a sample list. */
  sample: string[];
  overlaps: SegmentOverlap[];
  warnings: SegmentWarning[];
}

export const SAMPLE_SIZE = 10;

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): { shared: number; jaccard: number } {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const member of small) if (large.has(member)) shared += 1;
  const union = a.size + b.size - shared;
  return { shared, jaccard: union === 0 ? 0 : shared / union };
}

export function previewSegment(
  rule: CompiledRule,
  subjects: Iterable<RuleSubject>,
  existing: readonly ExistingSegment[],
  settings: SegmentSettings["customSegments"],
): SegmentPreview {
  const matched = new Set<string>();
  const builtins = new Map<string, Set<string>>(BUILTIN_SEGMENTS.map((key) => [key, new Set<string>()]));
  let customers = 0;
  for (const subject of subjects) {
    customers += 1;
    const id = subject.profile.customerId;
    if (rule.test(subject)) matched.add(id);
    for (const key of subject.segments) builtins.get(key)?.add(id);
  }
  const candidates: ExistingSegment[] = [
    ...BUILTIN_SEGMENTS.map((key) => ({
      key,
      name: BUILTIN_SEGMENT_NAMES[key],
      members: builtins.get(key) as Set<string>,
    })),
    ...existing,
  ];
  const overlaps = candidates
    .map(({ key, name, members }) => ({ key, name, members: members.size, ...jaccard(matched, members) }))
    .filter((overlap) => overlap.shared > 0)
    .sort((a, b) => b.jaccard - a.jaccard);
  const warnings: SegmentWarning[] = [];
  if (matched.size === 0) warnings.push({ kind: "empty", message: "No customer matches this rule today." });
  else if (matched.size < settings.tinyMinimum) {
    warnings.push({
      kind: "tiny",
      count: matched.size,
      minimum: settings.tinyMinimum,
      message: `Only ${plural(matched.size, "customer")} match; segments under ${
        settings.tinyMinimum
      } are rarely worth a campaign of their own.`,
    });
  }
  for (const overlap of overlaps) {
    if (matched.size === 0 || overlap.jaccard < settings.nearDuplicateOverlap) continue;
    warnings.push({
      kind: "near-duplicate",
      key: overlap.key,
      name: overlap.name,
      overlap: overlap.jaccard,
      message: `${percent(overlap.jaccard)} overlap with "${
        overlap.name
      }" (shared customers ÷ customers in either); consider using that segment instead.`,
    });
  }
  return { count: matched.size, customers, sample: [...matched].slice(0, SAMPLE_SIZE), overlaps, warnings };
}
