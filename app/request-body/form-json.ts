// The admin's editors post their draft as JSON in one form field. A field that is missing or not JSON means the page
// and the server disagree (an old page, a hand-made request): the merchant is asked to reload, and nothing is saved.

export const UNREADABLE_FORM = "The form could not be read; reload the page and try again.";

/** The parsed JSON of `form[name]`, or the refusal to return in its place (400, shown in the editor's banner). */
export function jsonField(form: FormData, name: string): { value: unknown } | { refusal: Response } {
  try {
    return { value: JSON.parse(String(form.get(name) ?? "")) };
  } catch {
    return { refusal: Response.json({ errors: { form: UNREADABLE_FORM } }, { status: 400 }) };
  }
}
