CREATE TABLE "blob_deletions" (
	"key" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "blobs_purged_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "blob_deletions_due_idx" ON "blob_deletions" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "sessions_blobs_unpurged_idx" ON "sessions" USING btree ("expires_at") WHERE "sessions"."blobs_purged_at" is null;