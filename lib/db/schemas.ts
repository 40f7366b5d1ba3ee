/** Response shape of the health route (docs/api.md, Operation). */
import { z } from "@/lib/api/openapi";

export const HealthResponse = z.object({ status: z.literal("ok") });
