CREATE TABLE `kiosk_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`kiosk_id` text NOT NULL,
	`kind` text NOT NULL,
	`detail` text NOT NULL,
	`opened_at` text NOT NULL,
	`resolved_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kiosk_alerts_open` ON `kiosk_alerts` (`kiosk_id`,`kind`) WHERE resolved_at IS NULL;--> statement-breakpoint
CREATE INDEX `kiosk_alerts_org` ON `kiosk_alerts` (`organizer_id`,`opened_at`);--> statement-breakpoint
CREATE TABLE `kiosk_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`site_id` text NOT NULL,
	`enrolled_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text,
	`last_heartbeat_at` text,
	`app_version` text,
	`printer_state` text,
	`paper_level` integer,
	`last_sale_at` text,
	`errors` text,
	`catalogue_version` text,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kiosk_devices_org` ON `kiosk_devices` (`organizer_id`,`enrolled_at`);--> statement-breakpoint
CREATE INDEX `kiosk_devices_heartbeat` ON `kiosk_devices` (`revoked_at`,`last_heartbeat_at`);--> statement-breakpoint
CREATE TABLE `kiosk_enrollment_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`organizer_id` text NOT NULL,
	`kiosk_name` text NOT NULL,
	`site_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`consumed_at` text,
	`device_id` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kiosk_enrollment_codes_codeHash_unique` ON `kiosk_enrollment_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `kiosk_enrollment_codes_org` ON `kiosk_enrollment_codes` (`organizer_id`,`created_at`);