CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`real_name_required` integer DEFAULT false NOT NULL,
	`max_tickets_per_buyer` integer DEFAULT 6 NOT NULL,
	`rotating_code` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_org` ON `events` (`organizer_id`,`id`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`user_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`user_id`, `organizer_id`),
	FOREIGN KEY (`user_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `memberships_org` ON `memberships` (`organizer_id`);--> statement-breakpoint
CREATE TABLE `organizers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`currency` text DEFAULT 'CNY' NOT NULL,
	`timezone` text DEFAULT 'Asia/Shanghai' NOT NULL,
	`contact_email` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizers_slug_unique` ON `organizers` (`slug`);--> statement-breakpoint
CREATE TABLE `packages` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`price` integer NOT NULL,
	`components` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `scenic_sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `packages_org` ON `packages` (`organizer_id`,`id`);--> statement-breakpoint
CREATE TABLE `parent_child_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`site_id` text NOT NULL,
	`parent_product_id` text NOT NULL,
	`child_product_id` text NOT NULL,
	`match_by` text DEFAULT 'phone_or_id_number' NOT NULL,
	`on_parent_refund` text DEFAULT 'block' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `scenic_sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_product_id`) REFERENCES `visit_products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_product_id`) REFERENCES `visit_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `parent_child_rules_org` ON `parent_child_rules` (`organizer_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `parent_child_rules_pair` ON `parent_child_rules` (`parent_product_id`,`child_product_id`);--> statement-breakpoint
CREATE TABLE `sales_channels` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`commission_bps` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sales_channels_org` ON `sales_channels` (`organizer_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `sales_channels_code` ON `sales_channels` (`organizer_id`,`code`);--> statement-breakpoint
CREATE TABLE `scenic_sites` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`city` text NOT NULL,
	`address` text,
	`description` text,
	`timezone` text DEFAULT 'Asia/Shanghai' NOT NULL,
	`opens_at` text DEFAULT '08:00' NOT NULL,
	`closes_at` text DEFAULT '18:00' NOT NULL,
	`daily_capacity` integer NOT NULL,
	`time_slots` text NOT NULL,
	`booking_days_ahead` integer DEFAULT 30 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scenic_sites_org` ON `scenic_sites` (`organizer_id`,`id`);--> statement-breakpoint
CREATE TABLE `seats` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`section` text NOT NULL,
	`row` text NOT NULL,
	`number` text NOT NULL,
	`label` text NOT NULL,
	`category` text NOT NULL,
	`x` real NOT NULL,
	`y` real NOT NULL,
	`accessible` integer DEFAULT false NOT NULL,
	`companion` integer DEFAULT false NOT NULL,
	`restricted_view` integer DEFAULT false NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`ordinal` integer NOT NULL,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seats_label` ON `seats` (`venue_id`,`label`);--> statement-breakpoint
CREATE INDEX `seats_venue_row` ON `seats` (`venue_id`,`section`,`row`);--> statement-breakpoint
CREATE TABLE `shows` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`event_id` text NOT NULL,
	`venue_id` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text,
	`sale_starts_at` text NOT NULL,
	`sale_ends_at` text NOT NULL,
	`prices` text NOT NULL,
	`hold_minutes` integer DEFAULT 15 NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`refund_tiers` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shows_org` ON `shows` (`organizer_id`,`id`);--> statement-breakpoint
CREATE INDEX `shows_event` ON `shows` (`event_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `shows_starts` ON `shows` (`starts_at`);--> statement-breakpoint
CREATE TABLE `staff_users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`platform_admin` integer DEFAULT false NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`session_version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_users_email_unique` ON `staff_users` (`email`);--> statement-breakpoint
CREATE TABLE `venues` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`city` text NOT NULL,
	`address` text,
	`stage_x` real,
	`stage_y` real,
	`price_categories` text NOT NULL,
	`seat_count` integer DEFAULT 0 NOT NULL,
	`seat_map_version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `venues_org` ON `venues` (`organizer_id`,`id`);--> statement-breakpoint
CREATE TABLE `visit_products` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`ticket_type` text NOT NULL,
	`eligibility` text NOT NULL,
	`price` integer NOT NULL,
	`validity_days` integer DEFAULT 1 NOT NULL,
	`timed` integer DEFAULT false NOT NULL,
	`daily_capacity` integer,
	`real_name_required` integer DEFAULT true NOT NULL,
	`max_per_id_per_day` integer DEFAULT 1 NOT NULL,
	`refundable` integer DEFAULT true NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `scenic_sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visit_products_org` ON `visit_products` (`organizer_id`,`id`);--> statement-breakpoint
CREATE INDEX `visit_products_site` ON `visit_products` (`site_id`);