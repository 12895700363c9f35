import { Hono } from 'hono'
import { requireStaff, type StaffEnv } from '../../middleware/staff-auth.ts'
import { analyticsSalesRoutes } from './analytics-sales.ts'
import { scenicReportRoutes } from './analytics-scenic.ts'
import { visitorReportRoutes } from './analytics-visitors.ts'
import { couponRoutes } from './coupons.ts'
import { distributionAdminRoutes } from './distribution.ts'
import { eventRoutes } from './events.ts'
import { exportRoutes } from './exports.ts'
import { forecastRoutes } from './forecasts.ts'
import { gateAdminRoutes } from './gates.ts'
import { groupBuyCampaignRoutes } from './group-buy-campaigns.ts'
import { kioskAdminRoutes } from './kiosks.ts'
import { memberAdminRoutes } from './members.ts'
import { organizerMessageRoutes, platformMessageRoutes } from './messages.ts'
import { adminOrderRoutes } from './orders.ts'
import { organizerRoutes } from './organizers.ts'
import { packageRoutes } from './packages.ts'
import { parentChildRuleRoutes } from './parent-child-rules.ts'
import { partnerAdminRoutes } from './partners.ts'
import { posterRoutes } from './posters.ts'
import { refundCompensationRoutes } from './refund-compensation.ts'
import { reportRoutes } from './reports.ts'
import { salesChannelRoutes } from './sales-channels.ts'
import { scenicPricingRoutes } from './scenic-pricing.ts'
import { scenicSiteRoutes } from './scenic-sites.ts'
import { showDepositRoutes } from './show-deposit.ts'
import { showDeskRoutes } from './show-desk.ts'
import { showPricingRoutes } from './show-pricing.ts'
import { showSalePhaseRoutes } from './show-sale-phases.ts'
import { showRoutes } from './shows.ts'
import { staffRoutes } from './staff.ts'
import { venueRoutes } from './venues.ts'
import { visitProductDepositRoutes } from './visit-product-deposit.ts'
import { visitProductRoutes } from './visit-products.ts'
import { dayWaitingRoomRoutes, showWaitingRoomRoutes } from './waiting-room.ts'
import { webhookEndpointRoutes } from './webhook-endpoints.ts'

/** The organizer console's API: every route needs a staff session; organizer routes check the role too. */
export const adminRoutes = new Hono<StaffEnv>()
adminRoutes.use('*', requireStaff)
adminRoutes.route('/organizers', organizerRoutes)
// Outgoing messages of every organizer and the platform's own (sign-in codes): platform admins only.
adminRoutes.route('/messages', platformMessageRoutes)

const organizer = '/organizers/:organizerId'
adminRoutes.route(`${organizer}/staff`, staffRoutes)
adminRoutes.route(`${organizer}/venues`, venueRoutes)
adminRoutes.route(`${organizer}/events`, eventRoutes)
adminRoutes.route(`${organizer}/shows`, showRoutes)
adminRoutes.route(`${organizer}/shows`, showDeskRoutes)
adminRoutes.route(`${organizer}/shows`, showPricingRoutes)
adminRoutes.route(`${organizer}/shows`, showDepositRoutes)
adminRoutes.route(`${organizer}/shows`, showSalePhaseRoutes)
adminRoutes.route(`${organizer}/shows`, showWaitingRoomRoutes)
adminRoutes.route(`${organizer}/scenic-sites`, scenicSiteRoutes)
adminRoutes.route(`${organizer}/scenic-sites`, dayWaitingRoomRoutes)
adminRoutes.route(`${organizer}/visit-products`, visitProductRoutes)
adminRoutes.route(`${organizer}/parent-child-rules`, parentChildRuleRoutes)
adminRoutes.route(`${organizer}/packages`, packageRoutes)
// Price calendars and tiers of visit products and packages (one module for both).
adminRoutes.route(organizer, scenicPricingRoutes)
adminRoutes.route(organizer, visitProductDepositRoutes)
adminRoutes.route(`${organizer}/sales-channels`, salesChannelRoutes)
adminRoutes.route(`${organizer}/orders`, adminOrderRoutes)
adminRoutes.route(`${organizer}/reports`, reportRoutes)
adminRoutes.route(`${organizer}/reports/analytics`, analyticsSalesRoutes)
adminRoutes.route(`${organizer}/exports`, exportRoutes)
// Visitors, check-in, 二消 and co-purchase (from the analytics rollups).
adminRoutes.route(`${organizer}/reports`, visitorReportRoutes)
adminRoutes.route(`${organizer}/reports`, scenicReportRoutes)
adminRoutes.route(`${organizer}/reports/forecasts`, forecastRoutes)
adminRoutes.route(`${organizer}/partners`, partnerAdminRoutes)
adminRoutes.route(`${organizer}/webhook-endpoints`, webhookEndpointRoutes)
adminRoutes.route(`${organizer}/messages`, organizerMessageRoutes)
// Gate enrollment codes, devices, redemptions and conflicts (several collections, one module).
adminRoutes.route(organizer, gateAdminRoutes)
adminRoutes.route(organizer, kioskAdminRoutes)
adminRoutes.route(`${organizer}/group-buy-campaigns`, groupBuyCampaignRoutes)
adminRoutes.route(`${organizer}/coupons`, couponRoutes)
// Refund as coupon of events and scenic sites.
adminRoutes.route(organizer, refundCompensationRoutes)
// Posters of events and scenic sites (multipart uploads to R2).
adminRoutes.route(organizer, posterRoutes)
// Distribution (分销): distributors, share links, commission rules, statements.
adminRoutes.route(organizer, distributionAdminRoutes)
adminRoutes.route(organizer, memberAdminRoutes)
