export function prismaCliEnv(): NodeJS.ProcessEnv;
