CREATE TABLE `commission_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`distributor_id` text,
	`scope_kind` text NOT NULL,
	`scope_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commission_rules_org` ON `commission_rules` (`organizer_id`,`scope_kind`,`scope_id`);--> statement-breakpoint
CREATE TABLE `commissions` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`order_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`kind` text DEFAULT 'commission' NOT NULL,
	`amount` integer NOT NULL,
	`base` integer NOT NULL,
	`rule_kind` text NOT NULL,
	`rule_value` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`month` text NOT NULL,
	`payable_after` text NOT NULL,
	`payout_id` text,
	`event_id` text NOT NULL,
	`reversed_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commissions_line_kind` ON `commissions` (`order_line_id`,`kind`);--> statement-breakpoint
CREATE INDEX `commissions_distributor` ON `commissions` (`distributor_id`,`month`,`state`);--> statement-breakpoint
CREATE INDEX `commissions_state` ON `commissions` (`state`,`payable_after`);--> statement-breakpoint
CREATE INDEX `commissions_order` ON `commissions` (`order_id`);--> statement-breakpoint
CREATE TABLE `distribution_attributions` (
	`order_id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`link_id` text NOT NULL,
	`click_id` text NOT NULL,
	`clicked_at` text NOT NULL,
	`month` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `distribution_attributions_distributor` ON `distribution_attributions` (`distributor_id`,`month`);--> statement-breakpoint
CREATE TABLE `distribution_clicks` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`link_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`buyer_id` text NOT NULL,
	`clicked_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `distribution_clicks_buyer` ON `distribution_clicks` (`buyer_id`,`organizer_id`,`clicked_at`);--> statement-breakpoint
CREATE INDEX `distribution_clicks_link` ON `distribution_clicks` (`link_id`);--> statement-breakpoint
CREATE TABLE `distribution_links` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`ref` text NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`site_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`distributor_id`) REFERENCES `distributors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `distribution_links_ref_unique` ON `distribution_links` (`ref`);--> statement-breakpoint
CREATE INDEX `distribution_links_distributor` ON `distribution_links` (`distributor_id`);--> statement-breakpoint
CREATE TABLE `distribution_payouts` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`distributor_id` text NOT NULL,
	`month` text NOT NULL,
	`amount` integer NOT NULL,
	`paid_by` text NOT NULL,
	`paid_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `distribution_payouts_distributor` ON `distribution_payouts` (`distributor_id`,`month`);--> statement-breakpoint
CREATE TABLE `distribution_settings` (
	`organizer_id` text PRIMARY KEY NOT NULL,
	`attribution_days` integer DEFAULT 7 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `distributors` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text DEFAULT 'kol' NOT NULL,
	`contact` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`commission_kind` text DEFAULT 'percent' NOT NULL,
	`commission_value` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `distributors_org` ON `distributors` (`organizer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `distributors_contact` ON `distributors` (`contact`);--> statement-breakpoint
CREATE TABLE `referral_invites` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`code` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_invites_code_unique` ON `referral_invites` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `referral_invites_customer` ON `referral_invites` (`organizer_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `referral_rewards` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`invite_id` text NOT NULL,
	`friend_customer_id` text NOT NULL,
	`friend_order_id` text NOT NULL,
	`side` text NOT NULL,
	`customer_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`grant_ref` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_rewards_friend_side` ON `referral_rewards` (`organizer_id`,`friend_customer_id`,`side`);--> statement-breakpoint
CREATE TABLE `referral_visits` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`invite_id` text NOT NULL,
	`buyer_id` text NOT NULL,
	`visited_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `referral_visits_buyer` ON `referral_visits` (`buyer_id`,`organizer_id`,`visited_at`);