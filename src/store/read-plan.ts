/**
 * A read written once for both engines, as a generator: it yields each query it needs (a value
 * the engine turns into SQL) and is handed its result. SQLite runs it through, synchronously,
 * inside one transaction on a reader thread; PostgreSQL awaits each query in turn, in one read
 * transaction. What to read next may depend on what came back (a sample's size on a count).
 */
export type ReadPlan<Read, T> = Generator<Read, T, unknown>;

export function runPlan<Read, T>(plan: ReadPlan<Read, T>, read: (r: Read) => unknown): T {
  let step = plan.next();
  while (!step.done) step = plan.next(read(step.value));
  return step.value;
}

export async function runPlanAsync<Read, T>(
  plan: ReadPlan<Read, T>,
  read: (r: Read) => Promise<unknown>,
): Promise<T> {
  let step = plan.next();
  while (!step.done) step = plan.next(await read(step.value));
  return step.value;
}
