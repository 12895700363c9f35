ALTER TABLE `redemption_conflicts` ADD `kind` text DEFAULT 'second_admission' NOT NULL;--> statement-breakpoint
ALTER TABLE `redemption_conflicts` ADD `revocation_reason` text;--> statement-breakpoint
ALTER TABLE `redemption_conflicts` ADD `revoked_at` text;