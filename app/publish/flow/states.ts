// A Flow trigger's life in the outbox (FlowTrigger.state). Inserted as "new" by the database triggers, evaluated for
// mass moves ("pending" or "held"), claimed ("sending") and settled. Only "pending" rows are ever sent, and a row
// leaves "sending" once: a crash or a lost answer while sending leaves it "unconfirmed", never sent again unless the
// merchant asks (docs/flow.md, "Exactly once").
export const FLOW_STATES = [
  "new",
  "pending",
  "held",
  "sending",
  "sent",
  "recorded",
  "refused",
  "unconfirmed",
  "discarded",
] as const;
export type FlowState = (typeof FLOW_STATES)[number];

/** What the merchant reads for each state on the Flow activity page and in the CLI. */
export const FLOW_STATE_LABELS: Record<FlowState, string> = {
  new: "Waiting",
  pending: "Waiting",
  held: "Held for review",
  sending: "Sending",
  sent: "Sent to Flow",
  recorded: "Recorded (no Shopify store)",
  refused: "Refused by Flow",
  unconfirmed: "Not confirmed",
  discarded: "Not sent",
};
