import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "./database.server";
import { env } from "./env.server";

declare global {
  var prismaGlobal: PrismaClient | undefined;
}

// One client per process; kept across dev-server reloads.
const prisma = (globalThis.prismaGlobal ??= createPrismaClient(env().DATABASE_URL));

export default prisma;
