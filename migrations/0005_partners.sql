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
CREATE UNIQUE INDEX `partners_key_id_unique` ON `partners` (`key_id`);--> statement-breakpoint
CREATE INDEX `partners_org` ON `partners` (`organizer_id`,`id`);--> statement-breakpoint
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
CREATE UNIQUE INDEX `partner_orders_order_id_unique` ON `partner_orders` (`order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `partner_orders_partner_order` ON `partner_orders` (`partner_id`,`partner_order_id`);--> statement-breakpoint
CREATE TABLE `partner_nonces` (
	`partner_id` text NOT NULL,
	`nonce` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`partner_id`, `nonce`)
);
--> statement-breakpoint
CREATE INDEX `partner_nonces_expiry` ON `partner_nonces` (`expires_at`);--> statement-breakpoint
CREATE TABLE `partner_rate_windows` (
	`partner_id` text NOT NULL,
	`window_start` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`partner_id`, `window_start`)
);
