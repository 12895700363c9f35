// The public API's shapes the shop reads: the worker's route contracts (see /openapi.json), imported as types
// only, so nothing of the worker is bundled into the shop.

export type { Eligibility } from '../../worker/routes/contracts/admin/visit-products.ts'
export type { Page } from '../../worker/routes/contracts/common.ts'
export type { MemberPage, MemberTier } from '../../worker/routes/contracts/members.ts'
export type {
  OrderCreated,
  OrderLine,
  OrderRecord,
  OrderView,
  RebookingCreated,
  RefundQuote,
  Ticket,
  WalletTicket,
} from '../../worker/routes/contracts/orders.ts'
export type {
  DayAvailability,
  HeldVisitor as Visitor,
  ScenicHold,
  SiteDetail,
  SiteSummary,
  VisitProduct,
} from '../../worker/routes/contracts/scenic.ts'
export type {
  SeatMapAnswer,
  SeatMapOverview,
  SeatMapSection,
} from '../../worker/routes/contracts/seat-map.ts'
export type {
  CategoryAvailability,
  DepositOffer,
  FlashSaleView,
  Seat,
  SeatMap,
  SeatState,
  ShowDetail,
  ShowHold,
  ShowSummary,
} from '../../worker/routes/contracts/shows.ts'
