import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  /** Mean latency in ms. */
  mean: number;
  completed: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
}

/**
 * autocannon against one URL: `connections` keep-alive clients for `seconds`. With several tokens,
 * each request signs in as one of them in turn (per-member rate limits).
 */
export async function load(
  url: string,
  token: string | string[] | null,
  connections: number,
  seconds: number,
  post?: object,
): Promise<LoadResult> {
  const tokens = token === null ? [] : Array.isArray(token) ? token : [token];
  let turn = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(post ? { method: 'POST' as const, body: JSON.stringify(post) } : {}),
    headers: { ...(tokens[0] ? { authorization: `Bearer ${tokens[0]}` } : {}), ...(post ? { 'content-type': 'application/json' } : {}) },
    ...(tokens.length > 1
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                headers: { ...req.headers, authorization: `Bearer ${tokens[turn++ % tokens.length]}` },
              }),
            },
          ],
        }
      : {}),
  });
  const ok = result['2xx'];
  return {
    requestsPerSec: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    bytesPerResponse: result.requests.total ? result.throughput.total / result.requests.total : 0,
  };
}
