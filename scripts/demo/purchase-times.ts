import { DAY_MS } from "./calendar.ts";
import type { Calendar } from "./calendar.ts";
import type { Random } from "./random.ts";

// The BG/NBD-style clock of one active customer: after each purchase they drop out with their dropout probability;
// otherwise the next purchase follows a Poisson process at their rate, modulated by the season (by thinning).

const MIN_GAP_MS = DAY_MS;

/** The customer's next purchase after prevMs, or null when they drop out or the history ends first. */
export function nextPurchaseTime(
  prevMs: number,
  ratePerDay: number,
  dropoutProbability: number,
  calendar: Calendar,
  random: Random,
): number | null {
  if (ratePerDay <= 0 || random.chance(dropoutProbability)) return null;
  const ceilingPerMs = (ratePerDay * calendar.seasonMax) / DAY_MS;
  // Starting a full day later keeps repeat orders on a later calendar day, so the hour reshaping below cannot
  // put them before the previous order.
  let t = prevMs + MIN_GAP_MS;
  for (;;) {
    t += random.exponential(ceilingPerMs);
    if (t >= calendar.endMs) return null;
    if (random.next() * calendar.seasonMax < calendar.seasonAt(t)) break;
  }
  const shaped = calendar.atShopperHour(t, random);
  return shaped < calendar.endMs ? shaped : null;
}
