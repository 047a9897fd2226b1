import { createRequire } from "node:module";
import type { Page } from "playwright-core";

// axe-core's accessibility rules run inside the page. Only serious and critical findings fail a test; each comes
// back as "rule: help (the first offending element)" so a failure says what to fix.

const AXE_SCRIPT = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      target: JSON.stringify(v.nodes[0]?.target ?? []),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.target})`);
}
