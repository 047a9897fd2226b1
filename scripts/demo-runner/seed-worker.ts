import { parentPort, workerData } from "node:worker_threads";
import { sendDeliveries } from "../replay/send-webhooks.ts";
import { historyDeliveries } from "./seed-history.ts";

// Runs in a worker thread: generating, signing and POSTing the history's payloads takes a core of its own, so the
// server on the main thread spends its time on ingest (see seedDemoHistory).

export interface SeedWorkerInput {
  baseUrl: string;
  secret: string;
  shop: string;
  customers: number;
  end: string;
  concurrency: number;
}

export type SeedWorkerMessage =
  | { type: "progress"; done: number }
  | { type: "done"; sent: number; failures: Array<{ topic: string; status: number }> };

const input = workerData as SeedWorkerInput;
let done = 0;
const summary = await sendDeliveries(
  input.baseUrl,
  input.secret,
  historyDeliveries(input.shop, input.customers, new Date(input.end)),
  {
    concurrency: input.concurrency,
    onResult: () => {
      done += 1;
      if (done % 1000 === 0) parentPort?.postMessage({ type: "progress", done } satisfies SeedWorkerMessage);
    },
  },
);
parentPort?.postMessage({
  type: "done",
  sent: summary.sent,
  failures: summary.failures.map((failure) => ({ topic: failure.delivery.topic, status: failure.status })),
} satisfies SeedWorkerMessage);
