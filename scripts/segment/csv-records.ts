import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { InputError } from "../../app/profiles/sources/input-error.ts";

/** CSV records with their line numbers, streamed; a malformed CSV becomes an InputError at its line. */
export async function* csvRecords(input: Readable): AsyncGenerator<{ record: string[]; line: number }> {
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  input.on("error", (error) => parser.destroy(error));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { record, line: info.lines };
    }
  } catch (error) {
    if (error instanceof CsvError)
      throw new InputError(`not valid CSV: ${error.message}`, (error as CsvError & { lines?: number }).lines ?? null);
    throw error;
  }
}
