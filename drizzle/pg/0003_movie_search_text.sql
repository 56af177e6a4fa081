ALTER TABLE "movies" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "movies_search_text_idx" ON "movies" USING btree ("search_text");