CREATE TABLE `analytics_buyer_type_daily` (
	`organizer_id` text NOT NULL,
	`day` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`buyer_type` text NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `day`, `event_id`, `show_id`, `site_id`, `channel`, `buyer_type`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_buyer_type_monthly` (
	`organizer_id` text NOT NULL,
	`month` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`buyer_type` text NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `month`, `event_id`, `show_id`, `site_id`, `channel`, `buyer_type`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_cohort_counts` (
	`organizer_id` text NOT NULL,
	`cohort_month` text NOT NULL,
	`month` text NOT NULL,
	`buyers` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `cohort_month`, `month`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_copurchase_monthly` (
	`organizer_id` text NOT NULL,
	`site_id` text NOT NULL,
	`month` text NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`product_a` text DEFAULT '' NOT NULL,
	`product_b` text DEFAULT '' NOT NULL,
	`product_c` text DEFAULT '' NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `site_id`, `month`, `channel`, `product_a`, `product_b`, `product_c`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_sales_daily` (
	`organizer_id` text NOT NULL,
	`kind` text NOT NULL,
	`day` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`product_id` text DEFAULT '' NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `kind`, `day`, `event_id`, `show_id`, `site_id`, `product_id`, `category`, `channel`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `analytics_sales_daily_show` ON `analytics_sales_daily` (`organizer_id`,`show_id`,`kind`,`day`,`tickets`);--> statement-breakpoint
CREATE TABLE `analytics_sales_monthly` (
	`organizer_id` text NOT NULL,
	`kind` text NOT NULL,
	`month` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`product_id` text DEFAULT '' NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `kind`, `month`, `event_id`, `show_id`, `site_id`, `product_id`, `category`, `channel`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_traffic_daily` (
	`organizer_id` text NOT NULL,
	`kind` text NOT NULL,
	`day` text NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`source` text DEFAULT 'direct' NOT NULL,
	`device` text DEFAULT 'unknown' NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `kind`, `day`, `channel`, `source`, `device`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_traffic_monthly` (
	`organizer_id` text NOT NULL,
	`kind` text NOT NULL,
	`month` text NOT NULL,
	`channel` text DEFAULT '' NOT NULL,
	`source` text DEFAULT 'direct' NOT NULL,
	`device` text DEFAULT 'unknown' NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`tickets` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `kind`, `month`, `channel`, `source`, `device`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_visitor_monthly` (
	`organizer_id` text NOT NULL,
	`month` text NOT NULL,
	`event_id` text DEFAULT '' NOT NULL,
	`show_id` text DEFAULT '' NOT NULL,
	`site_id` text DEFAULT '' NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`age_band` text NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organizer_id`, `month`, `event_id`, `show_id`, `site_id`, `province`, `city`, `age_band`)
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `analytics_events` ADD `events` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `analytics_events_paid_hold` ON `analytics_events` (`hold_id`) WHERE "analytics_events"."kind" = 'paid';--> statement-breakpoint
CREATE INDEX `analytics_checkin_hourly_site` ON `analytics_checkin_hourly` (`organizer_id`,`site_id`,`visit_day`,`show_id`,`event_id`,`channel`,`gate`,`hour`,`admitted`);--> statement-breakpoint
CREATE INDEX `analytics_secondary_daily_cover` ON `analytics_secondary_daily` (`organizer_id`,`site_id`,`visit_day`,`slot`,`product_id`,`channel`,`tickets`);--> statement-breakpoint
-- Fill the per-report rollups from the daily ones (worker/services/analytics/report-rollups.ts reportRollupsFromDaily).
INSERT INTO analytics_sales_daily (organizer_id, day, kind, event_id, show_id, site_id, product_id, category, channel, events, orders, tickets, amount)
  SELECT organizer_id, day, kind, event_id, show_id, site_id, product_id, category, channel, sum(events), sum(orders), sum(tickets), sum(amount)
  FROM analytics_daily WHERE 1 = 1 AND kind IN ('paid', 'refund', 'rebook', 'redemption') GROUP BY organizer_id, day, kind, event_id, show_id, site_id, product_id, category, channel
  ON CONFLICT (organizer_id, day, kind, event_id, show_id, site_id, product_id, category, channel) DO UPDATE SET events = events + excluded.events, orders = orders + excluded.orders, tickets = tickets + excluded.tickets, amount = amount + excluded.amount;
--> statement-breakpoint
INSERT INTO analytics_sales_monthly (organizer_id, month, kind, event_id, show_id, site_id, product_id, category, channel, events, orders, tickets, amount)
  SELECT organizer_id, substr(day, 1, 7), kind, event_id, show_id, site_id, product_id, category, channel, sum(events), sum(orders), sum(tickets), sum(amount)
  FROM analytics_daily WHERE 1 = 1 AND kind IN ('paid', 'refund', 'rebook', 'redemption') GROUP BY organizer_id, substr(day, 1, 7), kind, event_id, show_id, site_id, product_id, category, channel
  ON CONFLICT (organizer_id, month, kind, event_id, show_id, site_id, product_id, category, channel) DO UPDATE SET events = events + excluded.events, orders = orders + excluded.orders, tickets = tickets + excluded.tickets, amount = amount + excluded.amount;
--> statement-breakpoint
INSERT INTO analytics_traffic_daily (organizer_id, day, kind, channel, source, device, events, orders, tickets, amount)
  SELECT organizer_id, day, kind, channel, source, device, sum(events), sum(orders), sum(tickets), sum(amount)
  FROM analytics_daily WHERE 1 = 1 AND kind IN ('show_view', 'day_view', 'seat_map_open', 'hold', 'order', 'paid') GROUP BY organizer_id, day, kind, channel, source, device
  ON CONFLICT (organizer_id, day, kind, channel, source, device) DO UPDATE SET events = events + excluded.events, orders = orders + excluded.orders, tickets = tickets + excluded.tickets, amount = amount + excluded.amount;
--> statement-breakpoint
INSERT INTO analytics_traffic_monthly (organizer_id, month, kind, channel, source, device, events, orders, tickets, amount)
  SELECT organizer_id, substr(day, 1, 7), kind, channel, source, device, sum(events), sum(orders), sum(tickets), sum(amount)
  FROM analytics_daily WHERE 1 = 1 AND kind IN ('show_view', 'day_view', 'seat_map_open', 'hold', 'order', 'paid') GROUP BY organizer_id, substr(day, 1, 7), kind, channel, source, device
  ON CONFLICT (organizer_id, month, kind, channel, source, device) DO UPDATE SET events = events + excluded.events, orders = orders + excluded.orders, tickets = tickets + excluded.tickets, amount = amount + excluded.amount;
--> statement-breakpoint
INSERT INTO analytics_buyer_type_daily (organizer_id, day, event_id, show_id, site_id, channel, buyer_type, orders)
  SELECT organizer_id, day, event_id, show_id, site_id, channel, buyer_type, sum(orders)
  FROM analytics_daily WHERE 1 = 1 AND kind = 'paid' AND buyer_type <> '' GROUP BY organizer_id, day, event_id, show_id, site_id, channel, buyer_type
  ON CONFLICT (organizer_id, day, event_id, show_id, site_id, channel, buyer_type) DO UPDATE SET orders = orders + excluded.orders;
--> statement-breakpoint
INSERT INTO analytics_buyer_type_monthly (organizer_id, month, event_id, show_id, site_id, channel, buyer_type, orders)
  SELECT organizer_id, substr(day, 1, 7), event_id, show_id, site_id, channel, buyer_type, sum(orders)
  FROM analytics_daily WHERE 1 = 1 AND kind = 'paid' AND buyer_type <> '' GROUP BY organizer_id, substr(day, 1, 7), event_id, show_id, site_id, channel, buyer_type
  ON CONFLICT (organizer_id, month, event_id, show_id, site_id, channel, buyer_type) DO UPDATE SET orders = orders + excluded.orders;
--> statement-breakpoint
INSERT INTO analytics_visitor_monthly
    (organizer_id, month, event_id, show_id, site_id, province, city, age_band, visitors)
  SELECT organizer_id, substr(day, 1, 7), event_id, show_id, site_id, province, city, age_band, sum(visitors)
  FROM analytics_visitor_daily WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT DO UPDATE SET visitors = visitors + excluded.visitors;
--> statement-breakpoint
INSERT INTO analytics_copurchase_monthly
    (organizer_id, site_id, month, channel, product_a, product_b, product_c, orders)
  SELECT organizer_id, site_id, substr(visit_day, 1, 7), channel, product_a, product_b, product_c, sum(orders)
  FROM analytics_copurchase_daily WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT DO UPDATE SET orders = orders + excluded.orders;
--> statement-breakpoint
INSERT INTO analytics_cohort_counts (organizer_id, cohort_month, month, buyers)
  SELECT organizer_id, cohort_month, month, count(*) FROM analytics_buyer_months WHERE true GROUP BY 1, 2, 3
  ON CONFLICT DO UPDATE SET buyers = buyers + excluded.buyers;
