/** Request counts and latency histograms per route, exposed as Prometheus text. */

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** An in-process metrics registry (Prometheus scrapes each instance). */
export class Metrics {
  // Keyed by the rendered label set; `#series` memoizes that rendering per raw key.
  #requests = new Map<string, number>();
  #latency = new Map<string, Histogram>();
  #series = new Map<string, { counter: string; histogram: Histogram }>();

  /** Records one finished request. `route` is a pattern, never a raw path (bounded labels). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const raw = `${method} ${status} ${route}`;
    let series = this.#series.get(raw);
    if (!series) {
      const hkey = labels({ method, route });
      let histogram = this.#latency.get(hkey);
      if (!histogram) {
        this.#latency.set(hkey, histogram = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 });
      }
      series = { counter: labels({ method, route, status: String(status) }), histogram };
      this.#series.set(raw, series);
    }
    const key = series.counter;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const h = series.histogram;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  /** The Prometheus text exposition (format 0.0.4). */
  render(): string {
    const out = [
      "# HELP http_requests_total HTTP requests by method, route pattern and status.",
      "# TYPE http_requests_total counter",
    ];
    for (const [key, value] of this.#requests) out.push(`http_requests_total{${key}} ${value}`);
    out.push(
      "# HELP http_request_duration_seconds Request latency by method and route pattern.",
      "# TYPE http_request_duration_seconds histogram",
    );
    for (const [key, h] of this.#latency) {
      BUCKETS.forEach((le, i) =>
        out.push(`http_request_duration_seconds_bucket{${key},le="${le}"} ${h.counts[i]}`)
      );
      out.push(`http_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`);
      out.push(`http_request_duration_seconds_sum{${key}} ${h.sum}`);
      out.push(`http_request_duration_seconds_count{${key}} ${h.count}`);
    }
    return out.join("\n") + "\n";
  }
}

function labels(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) =>
      `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`
    )
    .join(",");
}
