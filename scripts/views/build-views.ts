/**
 * `npm run build`'s last step: the browser code under src/views bundled, with the charting library
 * and the MCP Apps client, into files the server serves whole (no network at run time):
 * dist/src/views/charts.html, the MCP App view, and dist/src/views/status.js, the status page's
 * script. They sit beside the compiled server, so the MCP Bundle, which copies dist/src, has them.
 *
 * Usage: node dist/scripts/views/build-views.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const out = join(PACKAGE_ROOT, 'dist', 'src', 'views');

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(PACKAGE_ROOT, 'src', 'views', entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // Inlined in a <script> element: a "</script" inside a string would end it early.
  return result.outputFiles[0]!.text.replaceAll('</script', '<\\/script');
}

mkdirSync(out, { recursive: true });
const charts = await bundle('charts.ts');
writeFileSync(
  join(out, 'charts.html'),
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>fast-intercom-mcp charts</title></head>
<body><div id="root">Waiting for the answer…</div><script>${charts}</script></body>
</html>
`,
);
writeFileSync(join(out, 'status.js'), await bundle('status.ts'));
