import type { ReactNode } from "react";
import { SectionCard } from "./section-card";

/** A card whose content follows the merchant's edits (a count, a preview): announced to screen readers as it changes. */
export function LiveResultCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <SectionCard title={title} gap="200">
      <div aria-live="polite">{children}</div>
    </SectionCard>
  );
}
