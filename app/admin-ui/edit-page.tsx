import { SaveBar } from "@shopify/app-bridge-react";
import { useFetcher } from "@remix-run/react";
import { Banner, Layout, Text } from "@shopify/polaris";
import { useMemo, useState } from "react";
import type { ReactNode } from "react";

// What every page that edits something shares: App Bridge's save bar while there are unsaved changes, and one banner
// when a save was refused. The save bar stays outside any <form>: a button inside a form submits it, so Discard would
// save what it was meant to throw away.

/** An answer of the page's action that refused the draft: the merchant's words by field ("form" for the whole). */
interface Refusal {
  errors: Record<string, string>;
}

function refusalOf(data: unknown): Record<string, string> | undefined {
  return data && typeof data === "object" && "errors" in data ? (data as Refusal).errors : undefined;
}

/**
 * A draft edited on the page and posted to its action as `intent` plus `fields(draft)`: one fetcher previews, one
 * saves (named by `saverKey` when the page outlives the editor and must read the save's answer too). `errors` are
 * those of the last refusal, the save's before the preview's.
 */
export function useDraftEditor<Draft, Result>({
  initial,
  fields,
  saverKey,
}: {
  initial: Draft;
  fields: (draft: Draft) => Record<string, string>;
  saverKey?: string;
}) {
  const [draft, setDraft] = useState<Draft>(initial);
  const previewer = useFetcher<Result>();
  const saver = useFetcher<Result>(saverKey ? { key: saverKey } : undefined);
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(initial), [draft, initial]);
  const errors = refusalOf(saver.data) ?? refusalOf(previewer.data) ?? {};
  const submit = (fetcher: typeof saver, intent: string) =>
    fetcher.submit({ intent, ...fields(draft) }, { method: "post" });
  return {
    draft,
    setDraft,
    dirty,
    errors,
    previewer,
    saver,
    saving: saver.state !== "idle",
    preview: () => submit(previewer, "preview"),
    save: () => submit(saver, "save"),
    submit: (intent: string) => submit(saver, intent),
    discard: () => setDraft(initial),
  };
}

/** What the save bar needs of an editor (useDraftEditor's, or a page's own form). */
export interface SaveBarEditor {
  dirty: boolean;
  saving: boolean;
  save: () => void;
  discard: () => void;
}

/** App Bridge's save bar over an editor: shown while the draft differs from what is saved. */
export function EditSaveBar({ id, editor }: { id: string; editor: SaveBarEditor }) {
  return (
    <SaveBar id={id} open={editor.dirty}>
      <button type="button" variant="primary" onClick={editor.save} disabled={editor.saving}>
        Save
      </button>
      <button type="button" onClick={editor.discard}>
        Discard
      </button>
    </SaveBar>
  );
}

/** The refusal of a save, in the merchant's words, in its own layout section unless `inline`; nothing when none. */
export function NotSavedBanner({
  title,
  reason,
  inline = false,
}: {
  title: string;
  reason: ReactNode;
  inline?: boolean;
}) {
  if (!reason) return null;
  const banner = (
    <Banner tone="critical" title={title}>
      <Text as="p">{reason}</Text>
    </Banner>
  );
  return inline ? banner : <Layout.Section>{banner}</Layout.Section>;
}
