import { jwtVerify, SignJWT } from 'jose'

/** Enrolled devices: `gate` scanners and `kiosk` ticket machines. Each kind signs under its own key and audience. */
export type DeviceKind = 'gate' | 'kiosk'

const encoder = new TextEncoder()
const keyOf = (kind: DeviceKind, secret: string) => encoder.encode(`${kind}-device:${secret}`)

/** A device's credential: an HS256 JWT only this platform can mint or check, naming the device and its organizer. */
export function signDeviceCredential(
  kind: DeviceKind,
  device: { id: string; organizerId: string },
  secret: string,
  days: number,
  now = Date.now(),
) {
  return new SignJWT({ org: device.organizerId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(device.id)
    .setAudience(`${kind}-device`)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + days * 86_400)
    .sign(keyOf(kind, secret))
}

/** The device and organizer a credential of this kind names; undefined when forged, expired or of another kind. */
export async function readDeviceCredential(
  kind: DeviceKind,
  token: string,
  secret: string,
): Promise<{ deviceId: string; organizerId: unknown } | undefined> {
  try {
    const { payload } = await jwtVerify(token, keyOf(kind, secret), {
      audience: `${kind}-device`,
      algorithms: ['HS256'],
    })
    if (typeof payload.sub !== 'string') return undefined
    return { deviceId: payload.sub, organizerId: payload.org }
  } catch {
    return undefined
  }
}
