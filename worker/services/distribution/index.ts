// Distribution (分销): distributors, share links and clicks, commission on paid orders (an order-event
// subscriber), the payable cron step and statements. Routes and the cron use only what is exported here.
export { commissionSubscriber, inviteCouponOf, releasePayableCommission } from './commission-events.ts'
export {
  type CommissionRuleInput,
  createDistributor,
  createLink,
  type DistributorInput,
  deleteRule,
  listDistributors,
  listLinks,
  listRules,
  putRule,
  putSettings,
  readDistributor,
  readSettings,
  setLinkActive,
  updateDistributor,
} from './records.ts'
export {
  inviteOf,
  pendingRewardGranter,
  type RewardGranter,
  recordInviteVisit,
  referralSubscriber,
} from './referrals.ts'
export { distributorPages, payStatement, recordClick, type Statement, statementsOf } from './statements.ts'
