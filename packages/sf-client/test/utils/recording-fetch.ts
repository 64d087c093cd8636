/** A fetch that records what the client sends (and can rewrite a request), for asserting on the wire. */

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

export type Interceptor = (call: RecordedCall, forward: (body?: unknown) => Promise<Response>) => Promise<Response> | undefined;

/** `fetch` plus the calls it saw; `intercept` may answer a call itself (returning undefined forwards it). */
export function recordingFetch(intercept?: Interceptor): { fetch: typeof fetch; calls: RecordedCall[]; maxInFlight: () => number } {
  const calls: RecordedCall[] = [];
  let inFlight = 0;
  let max = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const call: RecordedCall = { method: init?.method ?? 'GET', path: url.pathname + url.search, body: text ? (JSON.parse(text) as unknown) : undefined };
    calls.push(call);
    inFlight += 1;
    max = Math.max(max, inFlight);
    try {
      const forward = (body?: unknown) => fetch(input, body === undefined ? init : { ...init, body: JSON.stringify(body) });
      return await (intercept?.(call, forward) ?? forward());
    } finally {
      inFlight -= 1;
    }
  };
  return { fetch: wrapped, calls, maxInFlight: () => max };
}

/** Nodes per graph of a recorded `/composite/graph` call. */
export function graphSizes(call: RecordedCall): number[] {
  return ((call.body as { graphs: Array<{ compositeRequest: unknown[] }> }).graphs ?? []).map((g) => g.compositeRequest.length);
}
