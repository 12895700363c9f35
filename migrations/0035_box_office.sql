CREATE TABLE `box_office_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`shift_id` text NOT NULL,
	`kind` text NOT NULL,
	`tender` text NOT NULL,
	`order_id` text NOT NULL,
	`payment_id` text,
	`refund_id` text,
	`amount` integer NOT NULL,
	`tendered` integer,
	`change` integer,
	`reference` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`shift_id`) REFERENCES `box_office_shifts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `box_office_entries_shift` ON `box_office_entries` (`shift_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `box_office_entries_payment` ON `box_office_entries` (`payment_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `box_office_entries_refund` ON `box_office_entries` (`refund_id`);--> statement-breakpoint
CREATE TABLE `box_office_shifts` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`clerk_id` text NOT NULL,
	`currency` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`opening_float` integer NOT NULL,
	`opened_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`closed_at` text,
	`closing_totals` text,
	`expected_cash` integer,
	`counted_cash` integer,
	`difference` integer,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`clerk_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `box_office_shifts_open_clerk` ON `box_office_shifts` (`clerk_id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `box_office_shifts_org` ON `box_office_shifts` (`organizer_id`,`opened_at`);--> statement-breakpoint
DROP INDEX `tickets_orderLineId_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_line_once` ON `tickets` (`order_line_id`) WHERE "tickets"."revoked_reason" IS NULL OR "tickets"."revoked_reason" <> 'reprinted';