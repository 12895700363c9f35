import type { AppEnv } from '../env.ts'
import { type KioskDevice, kioskOfToken } from '../services/kiosks/devices.ts'
import { requireDeviceToken } from './device-auth.ts'

export type KioskEnv = AppEnv & { Variables: { kiosk: KioskDevice } }

/** Requires `Authorization: Bearer <kiosk token>` of an enrolled kiosk that has not been revoked. */
export const requireKiosk = requireDeviceToken('kiosk', kioskOfToken, 'kiosk')
