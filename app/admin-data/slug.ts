/** A URL- and id-safe form of a merchant's name for something: lower-case letters, digits and dashes. */
export function slugOf(name: string, maxLength: number): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/, "");
}
