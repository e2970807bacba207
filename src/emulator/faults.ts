/**
 * Fault injection: random faults at a configured rate (drawn from a seeded stream, so a run is
 * reproducible) and scripted faults for tests ("fail the next N requests to this route with X").
 */
import { z } from 'zod';
import { Rng } from './prng.js';

/**
 * '403' is a token without the permission a route needs (Intercom's `forbidden`);
 * '404' is a proxy or a permissions glitch that answers every retrieve with Not Found; 'echo' is
 * an upstream that quotes the request's Authorization header in its error, and 'echo-403' a 403
 * that quotes it in its error code; 'trickle' sends its
 * headers at once and then the body one byte a second, so no socket ever goes idle.
 */
export const FAULT_KINDS = [
  '403',
  '404',
  'echo',
  'echo-403',
  '500',
  '502',
  '503',
  '429',
  'reset',
  'hang',
  'trickle',
  'malformed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultConfigSchema = z.object({
  rate: z.number().min(0).max(1).default(0),
  kinds: z.array(z.enum(FAULT_KINDS)).nonempty().default(['500', '502', '503', 'reset', 'malformed']),
  hangMs: z.number().int().min(0).default(120_000),
});
export type FaultConfig = z.infer<typeof faultConfigSchema>;

export const scriptedFaultSchema = z.object({
  /** A route key such as `GET /conversations/{id}`, or `*` for any API route. */
  route: z.string().default('*'),
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().min(1).default(1),
  /** Matching requests that pass before the fault applies: a stop placed mid-run, by count. */
  after: z.number().int().min(0).default(0),
  /**
   * The route does its work first (a write lands), then the fault answers instead: a write that
   * succeeded while its answer was lost, which a client retrying after a time-out must not repeat.
   */
  applied: z.boolean().default(false),
});
export type ScriptedFault = z.infer<typeof scriptedFaultSchema>;

/** A fault to inject: how the answer fails, and whether the route's work is done before it. */
export interface Fault {
  kind: FaultKind;
  applied: boolean;
}

export class Faults {
  config: FaultConfig = faultConfigSchema.parse({});
  private rng: Rng;
  private script: ScriptedFault[] = [];
  injected = 0;

  constructor(seed: string) {
    this.rng = new Rng(seed, 'faults');
  }

  configure(config: FaultConfig): void {
    this.config = config;
  }

  addScripted(fault: ScriptedFault): void {
    this.script.push({ ...fault });
  }

  clear(): void {
    this.script = [];
    this.config = faultConfigSchema.parse({});
  }

  /** Decides whether this request fails, and how; consumes one scripted fault if one applies. */
  next(route: string): Fault | undefined {
    const scripted = this.script.find((f) => f.route === '*' || f.route === route);
    if (scripted && scripted.after > 0) scripted.after--;
    else if (scripted) {
      scripted.count--;
      if (scripted.count <= 0) this.script.splice(this.script.indexOf(scripted), 1);
      this.injected++;
      return { kind: scripted.kind, applied: scripted.applied };
    }
    if (this.config.rate > 0 && this.rng.next() < this.config.rate) {
      this.injected++;
      return { kind: this.rng.pick(this.config.kinds), applied: false };
    }
    return undefined;
  }
}
