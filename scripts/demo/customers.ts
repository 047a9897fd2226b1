import { Calendar, DAY_MS } from "./calendar.ts";
import { PRODUCT_TYPES } from "./catalogue.ts";
import type { ConsentState, Customer, Persona, ProductType, ResolvedHistoryOptions } from "./model.ts";
import { Random } from "./random.ts";

// The registered customers: who they are (persona), when they arrive, and their BG/NBD-style purchase process
// (a purchase rate ~ Gamma and a dropout probability ~ Beta, both around the persona's typical values).

export const STREAM = { population: 1, times: 2, baskets: 3, guests: 4, ids: 5, customerIds: 6 } as const;

interface PersonaProfile {
  share: number;
  /** Mean purchases per day while active, and the Gamma shape of the spread around it. */
  meanRatePerDay: number;
  rateShape: number;
  /** Beta(a, b) dropout after each purchase. */
  dropout: readonly [a: number, b: number] | "always";
  favourite: readonly number[];
  subscribeShare: number;
}

const GENERAL_TASTE = [0.4, 0.2, 0.12, 0.12, 0.08, 0.08];

export const PERSONAS: Readonly<Record<Persona, PersonaProfile>> = {
  prospect: {
    share: 0.06,
    meanRatePerDay: 0,
    rateShape: 1,
    dropout: "always",
    favourite: GENERAL_TASTE,
    subscribeShare: 0.6,
  },
  "one-off": {
    share: 0.33,
    meanRatePerDay: 1 / 365,
    rateShape: 1,
    dropout: "always",
    favourite: [0.25, 0.15, 0.2, 0.15, 0.1, 0.15],
    subscribeShare: 0.3,
  },
  yearly: {
    share: 0.21,
    meanRatePerDay: 1 / 300,
    rateShape: 4,
    dropout: [2, 6],
    favourite: [0.3, 0.15, 0.15, 0.15, 0.1, 0.15],
    subscribeShare: 0.4,
  },
  quarterly: {
    share: 0.2,
    meanRatePerDay: 1 / 75,
    rateShape: 4,
    dropout: [1.5, 12],
    favourite: GENERAL_TASTE,
    subscribeShare: 0.5,
  },
  monthly: {
    share: 0.13,
    meanRatePerDay: 1 / 26,
    rateShape: 5,
    dropout: [1, 22],
    favourite: [0.6, 0.25, 0.05, 0.04, 0.04, 0.02],
    subscribeShare: 0.6,
  },
  weekly: {
    share: 0.03,
    meanRatePerDay: 1 / 8,
    rateShape: 6,
    dropout: [1, 50],
    favourite: [0.7, 0.25, 0.02, 0.01, 0.02, 0],
    subscribeShare: 0.65,
  },
  vip: {
    share: 0.04,
    meanRatePerDay: 1 / 18,
    rateShape: 5,
    dropout: [1, 35],
    favourite: [0.25, 0.05, 0.35, 0.1, 0.1, 0.15],
    subscribeShare: 0.7,
  },
};

const PERSONA_NAMES = Object.keys(PERSONAS) as Persona[];
const PERSONA_SHARES = PERSONA_NAMES.map((name) => PERSONAS[name].share);

function consent(random: Random, subscribeShare: number): ConsentState {
  const draw = random.next();
  if (draw < subscribeShare) return "subscribed";
  return draw < subscribeShare + 0.06 ? "unsubscribed" : "not_subscribed";
}

interface Draft {
  generation: number;
  createdAt: number;
  persona: Persona;
  firstPurchaseAt: number | null;
  ratePerDay: number;
  dropoutProbability: number;
  favourite: ProductType;
  accountState: Customer["accountState"];
  emailMarketing: ConsentState;
  smsMarketing: ConsentState;
  consentChangedAfterDays: number;
}

function draftCustomer(options: ResolvedHistoryOptions, calendar: Calendar, generation: number): Draft {
  const random = Random.derive(options.seed, STREAM.population, generation);
  const persona = random.weighted(PERSONA_NAMES, PERSONA_SHARES);
  const profile = PERSONAS[persona];
  const arrival = calendar.sampleAcquisition(random);
  const buys = persona !== "prospect";
  // Most accounts are made at checkout, minutes before the first order; some signed up for the newsletter first.
  const lead = random.chance(0.75)
    ? random.int(20, 600) * 1000
    : Math.round((random.exponential(1 / 45) * DAY_MS) / 1000) * 1000;
  const createdAt = buys ? Math.max(calendar.startMs, arrival - lead) : arrival;
  const ratePerDay =
    profile.meanRatePerDay > 0 ? random.gamma(profile.rateShape, profile.meanRatePerDay / profile.rateShape) : 0;
  const dropoutProbability = profile.dropout === "always" ? 1 : random.beta(profile.dropout[0], profile.dropout[1]);
  const email = consent(random, profile.subscribeShare);
  return {
    generation,
    createdAt,
    persona,
    firstPurchaseAt: buys ? arrival : null,
    ratePerDay,
    dropoutProbability,
    favourite: random.weighted(PRODUCT_TYPES, profile.favourite),
    accountState: random.chance(persona === "one-off" || persona === "prospect" ? 0.1 : 0.35) ? "enabled" : "disabled",
    emailMarketing: email,
    smsMarketing: random.chance(email === "subscribed" ? 0.25 : 0.02) ? "subscribed" : "not_subscribed",
    consentChangedAfterDays: email === "unsubscribed" ? random.exponential(1 / 120) : 0,
  };
}

/** An 18-digit ID, above 2^53, as some real shops' customer IDs are. */
function bigId(random: Random): string {
  let digits = String(random.int(1, 8));
  for (let i = 0; i < 17; i += 1) digits += String(random.int(0, 9));
  return digits;
}

/** Registered customers in creation order, with IDs that grow with time as Shopify's do. */
export function buildCustomers(options: ResolvedHistoryOptions, calendar: Calendar): Customer[] {
  const drafts = Array.from({ length: options.customers }, (_, generation) =>
    draftCustomer(options, calendar, generation),
  );
  drafts.sort((a, b) => a.createdAt - b.createdAt || a.generation - b.generation);
  const ids = Random.derive(options.seed, STREAM.customerIds);
  let nextId = 6_900_000_000_000 + ids.int(0, 999_999_999);
  const bigIds = new Set<string>();
  return drafts.map((draft, index) => {
    nextId += ids.int(1_000, 5_000_000);
    let id = String(nextId);
    if (ids.chance(options.bigIdShare)) {
      do id = bigId(ids);
      while (bigIds.has(id));
      bigIds.add(id);
    }
    const createdAt = new Date(draft.createdAt);
    const consentUpdatedAt =
      draft.emailMarketing === "not_subscribed"
        ? null
        : new Date(
            Math.min(
              draft.createdAt + Math.round((draft.consentChangedAfterDays * DAY_MS) / 1000) * 1000,
              calendar.endMs - 1000,
            ),
          );
    return {
      id,
      ordinal: index + 1,
      createdAt,
      updatedAt: consentUpdatedAt && consentUpdatedAt > createdAt ? consentUpdatedAt : createdAt,
      accountState: draft.accountState,
      emailMarketing: draft.emailMarketing,
      smsMarketing: draft.smsMarketing,
      consentUpdatedAt,
      persona: draft.persona,
      truth: {
        ratePerDay: draft.ratePerDay,
        dropoutProbability: draft.dropoutProbability,
        favouriteProductType: draft.favourite,
        firstPurchaseAt: draft.firstPurchaseAt === null ? null : new Date(draft.firstPurchaseAt),
      },
    };
  });
}
