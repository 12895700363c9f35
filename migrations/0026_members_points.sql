CREATE TABLE `member_points` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`points` integer NOT NULL,
	`debt` integer DEFAULT 0 NOT NULL,
	`spend` integer DEFAULT 0 NOT NULL,
	`order_id` text,
	`expires_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `member_profiles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_points_seq` ON `member_points` (`member_id`,`seq`);--> statement-breakpoint
CREATE INDEX `member_points_order` ON `member_points` (`order_id`);--> statement-breakpoint
CREATE TABLE `member_points_rules` (
	`organizer_id` text PRIMARY KEY NOT NULL,
	`earn_per_yuan` integer NOT NULL,
	`points_per_yuan` integer NOT NULL,
	`max_redeem_percent` integer NOT NULL,
	`expiry_years` integer NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `member_profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`favourite_venue_ids` text DEFAULT '[]' NOT NULL,
	`favourite_categories` text DEFAULT '[]' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_profiles_customer` ON `member_profiles` (`organizer_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `member_tiers` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`code` text NOT NULL,
	`rank` integer NOT NULL,
	`name` text NOT NULL,
	`name_en` text,
	`min_spend` integer,
	`min_points` integer,
	`discount_percent` integer DEFAULT 0 NOT NULL,
	`presale_access` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "member_tiers_percent" CHECK("member_tiers"."discount_percent" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_tiers_code` ON `member_tiers` (`organizer_id`,`code`);