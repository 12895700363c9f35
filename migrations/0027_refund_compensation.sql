CREATE TABLE `refund_compensations` (
	`target_id` text PRIMARY KEY NOT NULL,
	`target_kind` text NOT NULL,
	`organizer_id` text NOT NULL,
	`coupon_id` text NOT NULL,
	`mode` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `refunds` ADD `compensation_coupon_id` text;