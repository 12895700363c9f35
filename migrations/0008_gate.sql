CREATE TABLE `event_gate_secrets` (
	`event_id` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `gate_enrollment_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`organizer_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`direction` text NOT NULL,
	`scope_kind` text NOT NULL,
	`scope_id` text NOT NULL,
	`from_date` text,
	`to_date` text,
	`expires_at` text NOT NULL,
	`consumed_at` text,
	`device_id` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gate_enrollment_codes_code_hash_unique` ON `gate_enrollment_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `gate_enrollment_codes_org` ON `gate_enrollment_codes` (`organizer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `gate_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`direction` text NOT NULL,
	`scope_kind` text NOT NULL,
	`scope_id` text NOT NULL,
	`from_date` text,
	`to_date` text,
	`enrolled_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_sync_at` text,
	`revoked_at` text,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `gate_devices_org` ON `gate_devices` (`organizer_id`,`enrolled_at`);--> statement-breakpoint
CREATE TABLE `ticket_revocations` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`scope_id` text NOT NULL,
	`ev` text NOT NULL,
	`reason` text NOT NULL,
	`revoked_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_revocations_ticket_id_unique` ON `ticket_revocations` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `ticket_revocations_scope` ON `ticket_revocations` (`scope_id`,`seq`);--> statement-breakpoint
CREATE TABLE `gate_scans` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`nonce` text NOT NULL,
	`organizer_id` text NOT NULL,
	`ticket_id` text,
	`decision` text NOT NULL,
	`reason` text,
	`mode` text NOT NULL,
	`scanned_at` text NOT NULL,
	`received_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gate_scans_nonce` ON `gate_scans` (`device_id`,`nonce`);--> statement-breakpoint
CREATE INDEX `gate_scans_ticket` ON `gate_scans` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`scan_id` text NOT NULL,
	`device_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`mode` text NOT NULL,
	`redeemed_at` text NOT NULL,
	`recorded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `redemptions_ticket_id_unique` ON `redemptions` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `redemptions_org` ON `redemptions` (`organizer_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `redemption_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`redemption_id` text NOT NULL,
	`scan_id` text NOT NULL,
	`device_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`scanned_at` text NOT NULL,
	`detected_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `redemption_conflicts_scan_id_unique` ON `redemption_conflicts` (`scan_id`);--> statement-breakpoint
CREATE INDEX `redemption_conflicts_org` ON `redemption_conflicts` (`organizer_id`,`detected_at`);
