CREATE TABLE `analytics_attendance_daily` (
	`organizer_id` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`visit_day` text NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`sold` integer DEFAULT 0 NOT NULL,
	`admitted` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_attendance_daily_key` ON `analytics_attendance_daily` (`organizer_id`,`event_id`,`show_id`,`site_id`,`visit_day`,`channel`);--> statement-breakpoint
CREATE TABLE `analytics_checkin_hourly` (
	`organizer_id` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`visit_day` text NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`gate` text DEFAULT '' NOT NULL,
	`day` text NOT NULL,
	`hour` integer NOT NULL,
	`admitted` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_checkin_hourly_key` ON `analytics_checkin_hourly` (`organizer_id`,`event_id`,`show_id`,`site_id`,`visit_day`,`channel`,`gate`,`day`,`hour`);--> statement-breakpoint
CREATE TABLE `analytics_copurchase_daily` (
	`organizer_id` text NOT NULL,
	`site_id` text NOT NULL,
	`visit_day` text NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`product_a` text DEFAULT '' NOT NULL,
	`product_b` text DEFAULT '' NOT NULL,
	`product_c` text DEFAULT '' NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_copurchase_daily_key` ON `analytics_copurchase_daily` (`organizer_id`,`site_id`,`visit_day`,`channel`,`product_a`,`product_b`,`product_c`);--> statement-breakpoint
CREATE TABLE `analytics_order_products` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`site_id` text NOT NULL,
	`visit_day` text NOT NULL,
	`slot` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`order_id`, `product_id`)
);
--> statement-breakpoint
CREATE TABLE `analytics_scenic_applied` (
	`event_id` text PRIMARY KEY NOT NULL,
	`done` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `analytics_secondary_daily` (
	`organizer_id` text NOT NULL,
	`site_id` text NOT NULL,
	`visit_day` text NOT NULL,
	`slot` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`product_id` text NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_secondary_daily_key` ON `analytics_secondary_daily` (`organizer_id`,`site_id`,`visit_day`,`slot`,`channel`,`product_id`);