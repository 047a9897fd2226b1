import { useEffect, useState, type ReactNode } from "react";

// polaris-viz measures its container in the browser, so charts are drawn after hydration. The frame keeps the
// chart's height from the first paint, so nothing below it moves when it appears (the dashboard's CLS target is 0),
// and carries a text summary for screen readers and for the server-rendered HTML.
export function ClientChart({ height, summary, children }: { height: number; summary: string; children: () => ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <div style={{ height, position: "relative" }} role="img" aria-label={summary}>
      {mounted ? children() : null}
    </div>
  );
}
