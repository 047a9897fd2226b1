// What must never be on an admin page a merchant reads: the code's words instead of theirs. Each rule names what it
// caught, so a failing walk says which page showed what. Used by the Chromium walk (test/e2e/admin-words.test.ts) on
// every page's visible text (option labels included); test/unit/support/word-lint.test.ts shows each rule
// catching what it is for and passing plain words.

export interface WordRule {
  name: string;
  pattern: RegExp;
}

export const WORD_RULES: WordRule[] = [
  // An HTML entity shown as written: JSX decodes `&apos;` in text, not inside a string passed as a prop.
  { name: "an HTML entity shown literally", pattern: /&(?:[a-z]+|#\d+);/g },
  // JSX shown as written: an expression or tag inside a string prop ("Predictions {x ? <Badge>…</Badge> : null}").
  { name: "source code shown literally", pattern: /\{[^}]*\}|<\/?[A-Z][A-Za-z]*[ >/]|\$\{/g },
  // at_risk, high_value_at_risk, rfm_champions: keys, not labels.
  { name: "an internal key (snake_case)", pattern: /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g },
  // tier:gold, rfm:at_risk, custom:vip, segment:lapsed
  { name: "a segment key", pattern: /\b(?:tier|rfm|lifecycle|custom|segment|custom_segment):[a-z0-9]/g },
  // The rule language's operators and the builder's old option values.
  { name: "a rule operator key", pattern: /\b(?:gte|lte|gt|lt|eq|ne|isSet|isNotSet|notIn|containsAny|notContains)\b/g },
  { name: "a comparison symbol", pattern: /[≥≤≠]/g },
  // zod's own messages ("Too small: expected string to have >=1 characters", "Invalid input: expected number").
  {
    name: "a validation library's message",
    pattern:
      /Too (?:small|big):|Invalid (?:input|option|string|type|enum|literal|union|date)\b|expected (?:string|number|boolean|array|object|date)\b|Unrecognized key|[<>]=\d|received (?:NaN|undefined|null)\b/g,
  },
  // "usually every 21" with no unit.
  {
    name: "a number without its unit after 'every'",
    pattern: /\bevery \d+(?:[,.]\d+)*(?!\d|[,.]\d)(?! ?(?:days?|weeks?|months?|years?|orders?|hours?|minutes?)\b)/g,
  },
  // "1 shoppers", "1 orders".
  {
    name: "a plural after 1",
    pattern:
      /(?<![\d.,])1 (?:orders|customers|shoppers|days|members|views|clicks|years|conversions|segments|offers|records|triggers|moves|tiers|months|weeks)\b/g,
  },
  // Raw timestamps: "2026-12-07T11:08:49.000Z".
  { name: "a raw timestamp", pattern: /\b\d{4}-\d\d-\d\dT\d\d:\d\d/g },
  // Stored dates: "up to 2026-09-08" (the admin reads "8 Sept 2026").
  { name: "a raw date", pattern: /\b\d{4}-\d\d-\d\d\b(?!T\d)/g },
  // Money as a bare number and a currency code ("1234.56 GBP"): a second money format.
  { name: "money as a number and a currency code", pattern: /\b\d[\d,]*(?:\.\d+)? (?!UTC\b|GMT\b)[A-Z]{3}\b/g },
  // A stored value shown as it is stored: "(shopify flow)".
  { name: "a name in lower case", pattern: /(?<![\w./-])shopify(?![\w.-])/g },
  // The repository's files are not the merchant's documentation: "see docs/flow.md".
  { name: "a file path", pattern: /\b[\w-]+\/[\w./-]*\.(?:md|ts|tsx|json|toml)\b/g },
  // A share typed or shown as 0–1 next to a percentage word ("(0–1)", "0 to 1").
  { name: "a 0–1 share", pattern: /\(0[–-]1\b|\b0 to 1\b/g },
];

/** Every money amount in the shop currency must read the same way: the symbol and two decimals ("£545.00"). */
export function moneyProblems(text: string, symbol = "£"): string[] {
  const escaped = symbol.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const amounts = [...text.matchAll(new RegExp(`${escaped}\\d[\\d,]*(?:\\.\\d+)?`, "g"))].map((match) => match[0]);
  return amounts
    .filter((amount) => !new RegExp(`^${escaped}\\d{1,3}(?:,\\d{3})*\\.\\d{2}$`).test(amount))
    .map((amount) => `money not in the one format: "${amount}"`);
}

/** One line per problem: the rule, and what it caught in context. */
export function wordProblems(text: string): string[] {
  const problems: string[] = [];
  for (const rule of WORD_RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const at = match.index ?? 0;
      problems.push(
        `${rule.name}: "${text.slice(Math.max(0, at - 30), at + match[0].length + 30).replace(/\s+/g, " ")}"`,
      );
    }
  }
  return [...problems, ...moneyProblems(text)];
}
