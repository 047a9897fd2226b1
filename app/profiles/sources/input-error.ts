// A problem with an input file, located to its line so the operator can fix it.
export class InputError extends Error {
  override name = "InputError";
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}
