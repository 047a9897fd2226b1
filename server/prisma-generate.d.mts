export function generatePrismaClient(): number;
export function ensurePrismaClient(): void;
