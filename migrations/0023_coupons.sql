CREATE TABLE `coupon_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`coupon_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`batch_id` text,
	`customer_id` text,
	`grant_source` text,
	`grant_key` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_codes_code` ON `coupon_codes` (`organizer_id`,`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_codes_grant_key` ON `coupon_codes` (`grant_key`);--> statement-breakpoint
CREATE INDEX `coupon_codes_coupon` ON `coupon_codes` (`coupon_id`,`kind`);--> statement-breakpoint
CREATE INDEX `coupon_codes_customer` ON `coupon_codes` (`customer_id`);--> statement-breakpoint
CREATE TABLE `coupon_redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`coupon_id` text NOT NULL,
	`code_id` text NOT NULL,
	`order_id` text NOT NULL,
	`customer_id` text,
	`amount` integer NOT NULL,
	`return_on_refund` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`coupon_id`) REFERENCES `coupons`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`code_id`) REFERENCES `coupon_codes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_redemptions_orderId_unique` ON `coupon_redemptions` (`order_id`);--> statement-breakpoint
CREATE INDEX `coupon_redemptions_coupon` ON `coupon_redemptions` (`coupon_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `coupon_redemptions_code` ON `coupon_redemptions` (`code_id`);--> statement-breakpoint
CREATE TABLE `coupons` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`title` text NOT NULL,
	`title_en` text,
	`kind` text NOT NULL,
	`amount_off` integer,
	`min_spend` integer DEFAULT 0 NOT NULL,
	`percent_off` integer,
	`max_off` integer,
	`ticket_price` integer,
	`scope` text NOT NULL,
	`starts_at` text,
	`ends_at` text,
	`total_cap` integer,
	`per_customer_cap` integer,
	`stacks_with_member` integer DEFAULT false NOT NULL,
	`return_on_refund` integer DEFAULT false NOT NULL,
	`disabled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `coupons_organizer` ON `coupons` (`organizer_id`,`created_at`);