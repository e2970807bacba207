/**
 * A command's answer on stdout: text as it is, anything else as one JSON document. Every answer
 * ends with a newline, so `jq`, `read` and the next prompt all see a whole line.
 */
/** A failure, for a caller that asked for JSON: the same shape whatever failed. */
export function printFailure(kind: string, message: string, exitCode: number): void {
  printOutput(JSON.stringify({ error: { kind, message, exit_code: exitCode } }));
}

export function printOutput(answer: unknown): void {
  const text = typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
