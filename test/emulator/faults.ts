import type { IncomingMessage, ServerResponse } from "node:http";
import { ThrottleBucket } from "./graphql/execute";

/**
 * A transient failure of the Admin API, as Shopify gives them: a 5xx from its
 * edge (502 with an HTML page, 503/500/504 with a JSON error, with or without
 * Retry-After), or a THROTTLED GraphQL error with the query's cost and the
 * bucket's throttleStatus.
 */
export type AdminApiFault =
  | { kind: "status"; status: 500 | 502 | 503 | 504; retryAfterSeconds?: number }
  | {
      kind: "throttled";
      /** The bucket the answer reports: empty, refilling at this rate (default 50 points/s). */
      restoreRate?: number;
      maximumAvailable?: number;
    };

/** A bucket with nothing in it at the moment of the request: any query is THROTTLED, its status says so. */
class EmptyBucket extends ThrottleBucket {
  constructor(maximumAvailable: number, restoreRate: number) {
    super();
    this.configure({ maximumAvailable, restoreRate });
  }

  override status() {
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: 0, restoreRate: this.restoreRate };
  }

  override take(): boolean {
    return false;
  }
}

/** What the GraphQL endpoint does with one request: answer it with a fault, or run it against `bucket`. */
export interface FaultDecision {
  respond?: (res: ServerResponse) => void;
  bucket?: ThrottleBucket;
}

const BAD_GATEWAY_PAGE =
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>";
const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The label a fault is counted under, e.g. "503 Retry-After: 2", "502", "THROTTLED". */
export function faultLabel(fault: AdminApiFault): string {
  if (fault.kind === "throttled") return "THROTTLED";
  return fault.retryAfterSeconds === undefined
    ? String(fault.status)
    : `${fault.status} Retry-After: ${fault.retryAfterSeconds}`;
}

/**
 * Fault injection for the emulator's Admin GraphQL endpoint, set only by the
 * test that owns the emulator (`emulator.faults.burst(...)`) or over its control
 * endpoint (`POST /emulator/faults`): the app reaches it only as the Admin API it
 * is configured to call. A burst answers the next requests with its faults, one
 * request each, in order; every faulty answer given is counted.
 */
export class AdminApiFaults {
  private planned: AdminApiFault[] = [];
  /** Faulty answers given, by label. */
  readonly given = new Map<string, number>();
  /** GraphQL requests that reached the endpoint with a valid token (faulty or not). */
  requests = 0;

  /** Answer the next requests with these faults, one each, after any still planned. */
  burst(faults: AdminApiFault[]): void {
    this.planned.push(...faults);
  }

  /** Faults planned and not yet given. */
  get pending(): number {
    return this.planned.length;
  }

  /** Faulty answers given in all. */
  get total(): number {
    let sum = 0;
    for (const count of this.given.values()) sum += count;
    return sum;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.given);
  }

  /** For the request arriving now: the next planned fault, if any. */
  next(): FaultDecision {
    this.requests++;
    const fault = this.planned.shift();
    if (!fault) return {};
    const label = faultLabel(fault);
    this.given.set(label, (this.given.get(label) ?? 0) + 1);
    if (fault.kind === "throttled") {
      // The emulator's own cost accounting answers, against a bucket that is empty now.
      return { bucket: new EmptyBucket(fault.maximumAvailable ?? 1_000, fault.restoreRate ?? 50) };
    }
    return { respond: (res) => respondWith(res, fault) };
  }

  /** `POST /emulator/faults` `{"burst": [...]}` plans a burst; `GET /emulator/faults` tells what was given. */
  async control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { burst?: AdminApiFault[] };
      if (!Array.isArray(body.burst)) {
        res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
        return void res.end('Expected {"burst": [{"kind": "status", "status": 503}, {"kind": "throttled"}, ...]}');
      }
      this.burst(body.burst);
    }
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ pending: this.pending, given: this.counts(), requests: this.requests }));
  }
}

function respondWith(res: ServerResponse, fault: Extract<AdminApiFault, { kind: "status" }>): void {
  const retryAfter: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
  if (fault.status === 502) {
    res.writeHead(502, { "Content-Type": "text/html; charset=utf-8", ...retryAfter });
    return void res.end(BAD_GATEWAY_PAGE);
  }
  res.writeHead(fault.status, { "Content-Type": "application/json; charset=utf-8", ...retryAfter });
  res.end(JSON.stringify({ errors: STATUS_TEXT[fault.status] }));
}
