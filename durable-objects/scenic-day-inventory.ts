// The scenic day actor lives in scenic-day/ (inventory.ts, its contract in stub.ts). This file only keeps the old
// import path working for durable-objects/hold-gateway.ts until that imports scenic-day/stub.ts; delete it then.

export type * from './scenic-day/contract.ts'
export { ScenicDayInventory } from './scenic-day/inventory.ts'
