// How large a move of one round is held for the merchant (holds.server.ts): more customers than the shop's hold size
// (FlowState.holdAbove, DEFAULT_HOLD_ABOVE until the merchant sets one), or than HOLD_SHARE of the shop's profiled
// customers if that is larger. Shared with the Flow page's form.
export const DEFAULT_HOLD_ABOVE = 500;
export const HOLD_SHARE = 0.02;
export const HOLD_ABOVE_LIMITS = { min: 10, max: 1_000_000 } as const;
