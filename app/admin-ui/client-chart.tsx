import { Box, SkeletonBodyText, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";

// polaris-viz measures its container in the browser, so charts are drawn after hydration. The frame keeps the
// chart's height from the first paint, so nothing below it moves when it appears (the dashboard's CLS target is 0),
// and holds a skeleton until then rather than a blank card. With nothing to chart, the frame says so instead.
// Screen readers and keyboards get the figures as text; the drawing itself is inert (polaris-viz's SVG roles are
// incomplete, which axe reports as aria-required-children, and its hover targets are focusable).
export function ClientChart({
  height,
  summary,
  empty,
  children,
}: {
  height: number;
  summary: string;
  empty?: string | null;
  children: () => ReactNode;
}) {
  const [mounted, setMounted] = useState(false);
  const drawing = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // React 18 has no `inert` prop; set after hydration so server and client markup agree.
    drawing.current?.setAttribute("inert", "");
    setMounted(true);
  }, []);
  if (empty) {
    return (
      <Box minHeight={`${height}px`}>
        <Text as="p" tone="subdued">
          {empty}
        </Text>
      </Box>
    );
  }
  return (
    <div style={{ height, position: "relative" }}>
      <div ref={drawing} aria-hidden="true" style={{ height }}>
        {mounted ? children() : <SkeletonBodyText lines={Math.max(3, Math.floor(height / 40))} />}
      </div>
      <Text as="p" visuallyHidden>
        {summary}
      </Text>
    </div>
  );
}
