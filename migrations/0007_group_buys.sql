CREATE TABLE `group_buy_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`show_ids` text NOT NULL,
	`group_prices` text NOT NULL,
	`min_size` integer NOT NULL,
	`max_size` integer NOT NULL,
	`lifetime_minutes` integer NOT NULL,
	`per_buyer_limit` integer NOT NULL,
	`leader_discount` integer DEFAULT 0 NOT NULL,
	`auto_complete` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_buy_campaigns_org` ON `group_buy_campaigns` (`organizer_id`,`id`);--> statement-breakpoint
CREATE TABLE `group_buys` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`show_id` text NOT NULL,
	`leader_buyer_id` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`min_size` integer NOT NULL,
	`max_size` integer NOT NULL,
	`member_count` integer DEFAULT 0 NOT NULL,
	`paid_count` integer DEFAULT 0 NOT NULL,
	`deadline` text NOT NULL,
	`settled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `group_buy_campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_buys_show_open` ON `group_buys` (`show_id`,`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `group_buys_campaign` ON `group_buys` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `group_buy_members` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`buyer_id` text NOT NULL,
	`customer_id` text,
	`role` text NOT NULL,
	`quantity` integer NOT NULL,
	`hold_id` text NOT NULL,
	`order_id` text NOT NULL,
	`status` text DEFAULT 'awaiting_payment' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `group_buys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_buy_members_order_id_unique` ON `group_buy_members` (`order_id`);--> statement-breakpoint
CREATE INDEX `group_buy_members_group` ON `group_buy_members` (`group_id`);--> statement-breakpoint
CREATE INDEX `group_buy_members_buyer` ON `group_buy_members` (`buyer_id`);
