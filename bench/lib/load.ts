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

/** autocannon against one URL: `connections` keep-alive clients for `seconds`. */
export async function load(url: string, token: string | null, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: token ? { authorization: `Bearer ${token}` } : {},
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
