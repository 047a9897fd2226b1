// Population priors: what Cadence assumes about a shop before its own data can say otherwise. The shapes are the
// CDNOW estimates (the one public, peer-reviewed retail fit); the scales come from the shop's own data, so a
// prior-only prediction still has the shop's purchase rate and order value.
import type { BgNbdParams } from "./bgnbd-likelihood.ts";
import type { GammaGammaParams } from "./gamma-gamma.ts";
import type { LogNormalPrior } from "./multi-start.ts";
import type { ShopData } from "./shop-data.ts";

/** BG/NBD on CDNOW (Fader, Hardie & Lee 2005) with α converted from weeks to days. */
export const CDNOW_BGNBD_DAYS: Readonly<BgNbdParams> = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 };
/** Gamma-Gamma shape on CDNOW (Fader & Hardie 2013); γ is set per shop from its order values. */
export const CDNOW_GAMMA_GAMMA_SHAPE = { p: 6.25, q: 3.74 } as const;
/** Standard deviation of every log-parameter in the priors: one sd is a factor of e ≈ 2.7 either way. */
export const PRIOR_LOG_SD = 1;
/** Weight of CDNOW's purchase rate in the shop's prior rate, in customer-days of pseudo-observation. */
export const PRIOR_RATE_PSEUDO_DAYS = 365;

/**
 * BG/NBD prior: CDNOW's r, a, b, and α = r / λ₀ where λ₀ is the shop's pooled repeat rate per day shrunk toward
 * CDNOW's (0.0079/day): λ₀ = (Σx + λ_CDNOW · 365) / (ΣT in days + 365).
 */
export function bgnbdPrior(shop: ShopData, unitDays: number): LogNormalPrior<BgNbdParams> {
  const cdnowRate = CDNOW_BGNBD_DAYS.r / CDNOW_BGNBD_DAYS.alpha;
  const rate =
    (shop.repeatOccasions + cdnowRate * PRIOR_RATE_PSEUDO_DAYS) / (shop.exposure * unitDays + PRIOR_RATE_PSEUDO_DAYS);
  return {
    centre: { ...CDNOW_BGNBD_DAYS, alpha: CDNOW_BGNBD_DAYS.r / rate / unitDays },
    sd: PRIOR_LOG_SD,
  };
}

/** Gamma-Gamma prior: CDNOW's p and q, and γ such that the population mean order value is `meanValue` (> 0). */
export function gammaGammaPrior(meanValue: number): LogNormalPrior<GammaGammaParams> {
  const { p, q } = CDNOW_GAMMA_GAMMA_SHAPE;
  return { centre: { p, q, gamma: (meanValue * (q - 1)) / p }, sd: PRIOR_LOG_SD };
}
