CREATE TABLE `availability_watch` (
	`key` text PRIMARY KEY NOT NULL,
	`organizer_id` text,
	`sold_out` text NOT NULL,
	`watermark` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `event_gate_secrets` (
	`event_id` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `gate_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`direction` text NOT NULL,
	`scope_kind` text NOT NULL,
	`scope_id` text NOT NULL,
	`from_date` text,
	`to_date` text,
	`enrolled_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_sync_at` text,
	`revoked_at` text,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `gate_devices_org` ON `gate_devices` (`organizer_id`,`enrolled_at`);--> statement-breakpoint
CREATE TABLE `gate_enrollment_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`organizer_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`direction` text NOT NULL,
	`scope_kind` text NOT NULL,
	`scope_id` text NOT NULL,
	`from_date` text,
	`to_date` text,
	`expires_at` text NOT NULL,
	`consumed_at` text,
	`device_id` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gate_enrollment_codes_codeHash_unique` ON `gate_enrollment_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `gate_enrollment_codes_org` ON `gate_enrollment_codes` (`organizer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `gate_scans` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`nonce` text NOT NULL,
	`organizer_id` text NOT NULL,
	`ticket_id` text,
	`decision` text NOT NULL,
	`reason` text,
	`mode` text NOT NULL,
	`scanned_at` text NOT NULL,
	`received_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gate_scans_nonce` ON `gate_scans` (`device_id`,`nonce`);--> statement-breakpoint
CREATE INDEX `gate_scans_ticket` ON `gate_scans` (`ticket_id`);--> statement-breakpoint
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
CREATE UNIQUE INDEX `group_buy_members_orderId_unique` ON `group_buy_members` (`order_id`);--> statement-breakpoint
CREATE INDEX `group_buy_members_group` ON `group_buy_members` (`group_id`);--> statement-breakpoint
CREATE INDEX `group_buy_members_buyer` ON `group_buy_members` (`buyer_id`);--> statement-breakpoint
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
CREATE TABLE `partner_nonces` (
	`partner_id` text NOT NULL,
	`nonce` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`partner_id`, `nonce`)
);
--> statement-breakpoint
CREATE INDEX `partner_nonces_expiry` ON `partner_nonces` (`expires_at`);--> statement-breakpoint
CREATE TABLE `partner_orders` (
	`partner_id` text NOT NULL,
	`partner_order_id` text NOT NULL,
	`order_id` text NOT NULL,
	`reservation_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_orders_orderId_unique` ON `partner_orders` (`order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `partner_orders_partner_order` ON `partner_orders` (`partner_id`,`partner_order_id`);--> statement-breakpoint
CREATE TABLE `partner_products` (
	`partner_id` text NOT NULL,
	`product_id` text NOT NULL,
	`market_price` integer NOT NULL,
	`sale_price` integer NOT NULL,
	`settlement_price` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`partner_id`, `product_id`),
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `visit_products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `partner_rate_windows` (
	`partner_id` text NOT NULL,
	`window_start` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`partner_id`, `window_start`)
);
--> statement-breakpoint
CREATE TABLE `partner_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`site_id` text NOT NULL,
	`visit_date` text NOT NULL,
	`line_prices` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partner_reservations_partner` ON `partner_reservations` (`partner_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`name` text NOT NULL,
	`sales_channel_id` text NOT NULL,
	`channel` text NOT NULL,
	`key_id` text NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`previous_secret_ciphertext` text,
	`previous_secret_expires_at` text,
	`status` text DEFAULT 'active' NOT NULL,
	`rate_limit_per_minute` integer DEFAULT 600 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sales_channel_id`) REFERENCES `sales_channels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partners_keyId_unique` ON `partners` (`key_id`);--> statement-breakpoint
CREATE INDEX `partners_org` ON `partners` (`organizer_id`,`id`);--> statement-breakpoint
CREATE TABLE `redemption_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`redemption_id` text NOT NULL,
	`scan_id` text NOT NULL,
	`device_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`scanned_at` text NOT NULL,
	`detected_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `redemption_conflicts_scanId_unique` ON `redemption_conflicts` (`scan_id`);--> statement-breakpoint
CREATE INDEX `redemption_conflicts_org` ON `redemption_conflicts` (`organizer_id`,`detected_at`);--> statement-breakpoint
CREATE TABLE `redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`scan_id` text NOT NULL,
	`device_id` text NOT NULL,
	`gate_name` text NOT NULL,
	`mode` text NOT NULL,
	`redeemed_at` text NOT NULL,
	`recorded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `redemptions_ticketId_unique` ON `redemptions` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `redemptions_org` ON `redemptions` (`organizer_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `ticket_revocations` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`scope_id` text NOT NULL,
	`ev` text NOT NULL,
	`reason` text NOT NULL,
	`revoked_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_revocations_ticketId_unique` ON `ticket_revocations` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `ticket_revocations_scope` ON `ticket_revocations` (`scope_id`,`seq`);--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`trigger` text NOT NULL,
	`status_code` integer,
	`latency_ms` integer NOT NULL,
	`response_excerpt` text,
	`error` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery` ON `webhook_attempts` (`delivery_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`event_type` text NOT NULL,
	`body` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`scheduled_via` text DEFAULT 'queue' NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_endpoint` ON `webhook_deliveries` (`event_id`,`endpoint_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint` ON `webhook_deliveries` (`endpoint_id`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`event_types` text NOT NULL,
	`channel` text,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_expires_at` text,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_org` ON `webhook_endpoints` (`organizer_id`,`id`);--> statement-breakpoint
ALTER TABLE `outbox_events` ADD `channel` text;