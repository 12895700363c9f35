// The network a request came from, as abuse limits count it: an IPv4 address, or an IPv6 /64. One host
// (or one home router) is usually given a whole IPv6 /64, so counting single IPv6 addresses would let one
// client rotate through billions of them. Pure: the worker, the inventory actors and tests share it.

/** `a.b.c.d` for IPv4 (also when written IPv4-mapped, `::ffff:a.b.c.d`), `h:h:h:h::/64` for IPv6, else undefined. */
export function clientNetwork(address: string | null | undefined): string | undefined {
  const raw = address?.trim()
  if (!raw || raw.length > 64) return undefined
  if (isIpv4(raw)) return raw
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(raw)
  if (mapped && isIpv4(mapped[1]!)) return mapped[1]
  const groups = ipv6Groups(raw)
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : undefined
}

function isIpv4(text: string): boolean {
  const parts = text.split('.')
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
}

/** The eight groups of an IPv6 address (lower-case, no leading zeros), or null when it is not one. */
function ipv6Groups(text: string): string[] | null {
  const address = text.toLowerCase().replace(/%.*$/, '') // drop a zone id (fe80::1%eth0)
  const halves = address.split('::')
  if (halves.length > 2) return null
  const split = (part: string) => (part === '' ? [] : part.split(':'))
  const head = split(halves[0]!)
  const tail = halves.length === 2 ? split(halves[1]!) : []
  // A trailing dotted IPv4 part counts as two groups.
  const list = halves.length === 2 ? tail : head
  const last = list.at(-1)
  if (last && isIpv4(last)) {
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number]
    list.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16))
  }
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null
  return groups.map((g) => Number.parseInt(g, 16).toString(16))
}
