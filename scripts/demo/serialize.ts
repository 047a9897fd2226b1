// Shopify sends IDs as bare JSON integers, some above 2^53, which a JavaScript number cannot hold. Payloads keep
// IDs as bigint; the serializer writes them as exact integer literals.

export type PayloadValue = string | number | boolean | null | bigint | PayloadValue[] | PayloadObject;
export interface PayloadObject {
  [key: string]: PayloadValue;
}

// JSON.stringify escapes U+0000, so a marked string in its output can only come from the replacer below.
const MARK = "\u0000bigint:";
const MARKED = /"\\u0000bigint:(-?\d+)"/g;

export function serializePayload(payload: PayloadValue, space?: number): string {
  const text = JSON.stringify(
    payload,
    (_key, value: unknown) => {
      if (typeof value === "bigint") return `${MARK}${value}`;
      if (typeof value === "string" && value.startsWith(MARK))
        throw new TypeError("payload string collides with the bigint marker");
      return value;
    },
    space,
  );
  return text.replace(MARKED, "$1");
}
