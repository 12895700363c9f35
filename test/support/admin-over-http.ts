// For Node-side harnesses (the benchmark, the HTTP race tests) that set up shows through the real admin API
// of a running `wrangler dev`: no workerd imports here.

export type AdminCall = (path: string, method: string, body: unknown) => Promise<Record<string, string>>

/** Signs in as a staff member and answers a caller for the demo organizer's admin API. */
export async function adminOverHttp(base: string, email: string, password: string): Promise<AdminCall> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (!login.ok) throw new Error(`sign-in as ${email}: ${login.status} ${await login.text()}`)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
  return (path, method, body) =>
    fetch(`${base}/api/admin/organizers/org_demo${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    }).then(async (r) => {
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
      return r.json() as Promise<Record<string, string>>
    })
}

/**
 * A published show on sale now, in a new venue of `rows` rows of 50 seats in one price category `A`;
 * answers the show's id.
 */
export async function gridShowOnSale(
  admin: AdminCall,
  options: { rows: number; venueName: string; maxTicketsPerBuyer: number; price: number },
): Promise<string> {
  const venue = await admin('/venues', 'POST', {
    name: options.venueName,
    kind: 'stadium',
    city: '上海',
    cityEn: 'Shanghai',
  })
  await admin(`/venues/${venue.id}/seat-map`, 'PUT', {
    stage: { x: 500, y: -50 },
    categories: [{ code: 'A', name: 'A', color: '#aa3333' }],
    sections: [
      {
        name: 'Floor',
        rows: Array.from({ length: options.rows }, (_, r) => ({
          label: `R${r + 1}`,
          category: 'A',
          seats: Array.from({ length: 50 }, (_, s) => ({ number: String(s + 1), x: s * 20, y: r * 25 })),
        })),
      },
    ],
  })
  const event = await admin('/events', 'POST', {
    name: `${options.venueName} on-sale`,
    kind: 'concert',
    status: 'published',
    maxTicketsPerBuyer: options.maxTicketsPerBuyer,
  })
  const now = Date.now()
  const show = await admin('/shows', 'POST', {
    eventId: event.id,
    venueId: venue.id,
    startsAt: new Date(now + 30 * 86_400_000).toISOString(),
    saleStartsAt: new Date(now - 3_600_000).toISOString(),
    saleEndsAt: new Date(now + 29 * 86_400_000).toISOString(),
    prices: { A: options.price },
  })
  return show.id!
}
