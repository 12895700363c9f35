// Typed client for the worker's JSON API. Failures arrive as RFC 9457 problem+json and become ApiError,
// which pages show with <ProblemAlert> (title, detail and each invalid field).

import type { FieldError } from '../../worker/problem.ts'

export type { FieldError }

export interface ProblemDetails {
  type?: string
  title: string
  status: number
  code: string
  detail?: string
  requestId?: string
  errors?: FieldError[]
  [extension: string]: unknown
}

export class ApiError extends Error {
  readonly problem: ProblemDetails
  constructor(problem: ProblemDetails) {
    super(problem.detail ?? problem.title)
    this.name = 'ApiError'
    this.problem = problem
  }
  get code() {
    return this.problem.code
  }
  get status() {
    return this.problem.status
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Query
  /** Sent as JSON unless it is a string (sent as is, e.g. CSV) or FormData. */
  body?: unknown
  headers?: Record<string, string>
  /** Makes a retried POST safe: the server replays the first answer for the same key. */
  idempotencyKey?: string
  signal?: AbortSignal
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path
}

/** Calls the API on this origin with the session cookie; resolves with the parsed JSON (or undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  let body: BodyInit | undefined
  if (options.body instanceof FormData || typeof options.body === 'string') body = options.body
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey
  let response: Response
  try {
    response = await fetch(withQuery(path, options.query), {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiError({
      title: 'Network error',
      status: 0,
      code: 'network',
      detail: (error as Error).message,
    })
  }
  if (response.status === 204) return undefined as T
  const type = response.headers.get('content-type') ?? ''
  const data = type.includes('json') ? await response.json().catch(() => undefined) : await response.text()
  if (!response.ok) {
    const problem =
      data && typeof data === 'object' && 'code' in data
        ? (data as ProblemDetails)
        : { title: response.statusText || 'Request failed', status: response.status, code: 'http_error' }
    throw new ApiError(problem)
  }
  return data as T
}

/** A fresh idempotency key for one user action (kept across retries of that action). */
export const newIdempotencyKey = () => crypto.randomUUID()
