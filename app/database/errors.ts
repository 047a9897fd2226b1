import { Prisma } from "@prisma/client";

// Prisma maps a driver's unique-violation to P2002 through @prisma/adapter-pg; raw queries through the adapter can
// surface PostgreSQL's own error (SQLSTATE 23505) as a DriverAdapterError instead. Both mean the same thing.
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const cause = (error as { name?: string; cause?: { code?: string; kind?: string } } | null)?.cause;
  return (
    (error as { name?: string } | null)?.name === "DriverAdapterError" &&
    (cause?.code === "23505" || cause?.kind === "UniqueConstraintViolation")
  );
}
