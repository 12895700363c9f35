import type { AppEnv } from '../env.ts'
import { deviceOfToken, type GateDevice } from '../services/gate-devices.ts'
import { requireDeviceToken } from './device-auth.ts'

export type GateEnv = AppEnv & { Variables: { device: GateDevice } }

/** Requires `Authorization: Bearer <device token>` of an enrolled gate device that has not been revoked. */
export const requireGateDevice = requireDeviceToken('device', deviceOfToken, 'gate device')
