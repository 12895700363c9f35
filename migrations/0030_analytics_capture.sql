CREATE TABLE `analytics_buyer_months` (
	`organizer_id` text NOT NULL,
	`buyer_key` text NOT NULL,
	`month` text NOT NULL,
	`cohort_month` text NOT NULL,
	PRIMARY KEY(`organizer_id`, `buyer_key`, `month`)
);
--> statement-breakpoint
CREATE INDEX `analytics_buyer_months_cohort` ON `analytics_buyer_months` (`organizer_id`,`cohort_month`,`month`);--> statement-breakpoint
CREATE TABLE `analytics_buyers` (
	`organizer_id` text NOT NULL,
	`buyer_key` text NOT NULL,
	`first_order_id` text NOT NULL,
	`first_day` text NOT NULL,
	`cohort_month` text NOT NULL,
	PRIMARY KEY(`organizer_id`, `buyer_key`)
);
--> statement-breakpoint
CREATE TABLE `analytics_daily` (
	`organizer_id` text DEFAULT '' NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`product_id` text DEFAULT '' NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`source` text DEFAULT 'direct' NOT NULL,
	`device` text DEFAULT 'unknown' NOT NULL,
	`buyer_type` text DEFAULT '' NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_daily_key` ON `analytics_daily` (`organizer_id`,`day`,`kind`,`event_id`,`show_id`,`site_id`,`product_id`,`category`,`channel`,`source`,`device`,`buyer_type`);--> statement-breakpoint
CREATE INDEX `analytics_daily_kind` ON `analytics_daily` (`organizer_id`,`kind`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_events` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`occurred_at` text NOT NULL,
	`day` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`product_id` text DEFAULT '' NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`source` text DEFAULT 'direct' NOT NULL,
	`referrer_host` text,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`ref` text,
	`device` text DEFAULT 'unknown' NOT NULL,
	`order_id` text,
	`hold_id` text,
	`buyer_key` text,
	`buyer_type` text DEFAULT '' NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`rolled` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_events_pending` ON `analytics_events` (`rolled`) WHERE "analytics_events"."rolled" = 0;--> statement-breakpoint
CREATE INDEX `analytics_events_order` ON `analytics_events` (`order_id`);--> statement-breakpoint
CREATE INDEX `analytics_events_organizer_day` ON `analytics_events` (`organizer_id`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_pending_visitors` (
	`hold_id` text NOT NULL,
	`position` integer NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`age_band` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`hold_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `analytics_pending_visitors_age` ON `analytics_pending_visitors` (`created_at`);--> statement-breakpoint
CREATE TABLE `analytics_visitor_daily` (
	`organizer_id` text NOT NULL,
	`day` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`age_band` text NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_visitor_daily_key` ON `analytics_visitor_daily` (`organizer_id`,`day`,`event_id`,`show_id`,`site_id`,`province`,`city`,`age_band`);