import { z } from "zod";
import { interactionKinds, interactionSources } from "@/lib/db/schema";

/** GET /api/me/export: what Matinee keeps about an account that its owner typed or did. */
export const accountExportSchema = z
  .object({
    exportedAt: z.iso.datetime(),
    account: z.object({
      id: z.number().int(),
      email: z.string(),
      name: z.string().nullable(),
      role: z.enum(["user", "admin"]),
      createdAt: z.iso.datetime(),
      signsInWithPassword: z.boolean(),
    }),
    interactions: z.array(
      z.object({
        movieId: z.number().int().meta({ description: "TMDB id" }),
        title: z.string(),
        year: z.number().int().nullable(),
        kind: z.enum(interactionKinds),
        value: z.number().nullable().meta({ description: "Stars (0.5–5) for a rating; 1/0 for a like or a watchlist entry" }),
        watchSeconds: z.number().int().nullable(),
        source: z.enum(interactionSources),
        at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: "AccountExport" });

export type AccountExport = z.infer<typeof accountExportSchema>;
