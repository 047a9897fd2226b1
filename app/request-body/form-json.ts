// The admin's editors post their draft as JSON in one form field. A field that is missing or not JSON means the page
// and the server disagree (an old page, a hand-made request): the merchant is asked to reload, and nothing is saved.

export const UNREADABLE_FORM = "The form could not be read; reload the page and try again.";

/** The refusal an editor shows in its banner (field "form"), answered with 400. */
export function unreadableForm(): Response {
  return Response.json({ errors: { form: UNREADABLE_FORM } }, { status: 400 });
}

/** The parsed JSON of `form[name]`, or the refusal to return in its place. */
export function jsonField(form: FormData, name: string): { value: unknown } | { refusal: Response } {
  try {
    return { value: JSON.parse(String(form.get(name) ?? "")) };
  } catch {
    return { refusal: unreadableForm() };
  }
}
