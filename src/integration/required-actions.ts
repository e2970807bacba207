/** What to do next, by what went wrong: the failure report's "Required Actions" and the warnings' advice. */
import { IntercomApiError } from '../intercom/errors.js';
import { StoreError } from '../store/database.js';
import type { Advice } from './report.js';

export function requiredActions(e: unknown, baseUrl: string): Advice {
  const curl = `curl -H "Authorization: Bearer $INTERCOM_ACCESS_TOKEN" ${baseUrl}/me`;
  const heading = 'Required Actions';
  if (e instanceof StoreError)
    return {
      heading,
      actions: [
        `The local database failed (${e.kind}): ${e.message}`,
        'Check free disk space and that the workspace directory is writable',
        'Stop other fast-intercom-mcp processes using the same workspace (a sync holds the write lock)',
        'Run `fast-intercom-mcp reset --yes` and `fast-intercom-mcp sync` to rebuild a damaged copy',
      ],
    };
  if (!(e instanceof IntercomApiError))
    return {
      heading,
      actions: [
        `Investigate: ${e instanceof Error ? e.message : String(e)}`,
        'Re-run with --verbose and read `fast-intercom-mcp logs`',
      ],
    };
  switch (e.kind) {
    case 'unauthorized':
      return {
        heading,
        actions: [
          'Verify INTERCOM_ACCESS_TOKEN is correct',
          "Check token permissions include 'conversations:read'",
          "Confirm token hasn't expired",
          `Test API access manually: ${curl}`,
        ],
      };
    case 'forbidden':
      return {
        heading,
        actions: [
          'Give the app the "Read conversations" and "Read and list users and companies" permissions in the Intercom Developer Hub ("Read admins" and "Read tags" for teammate, team and tag names)',
          'Check that the workspace plan includes API access',
          "Check the token's region: EU and AU workspaces need INTERCOM_REGION=eu or au",
          `Test API access manually: ${curl}`,
        ],
      };
    case 'rate_limited':
      return {
        heading,
        actions: [
          'Another app or script is using the same rate limit: stop it or wait for the window to reset',
          `Check the limit headers: curl -I -H "Authorization: Bearer $INTERCOM_ACCESS_TOKEN" ${baseUrl}/conversations (X-RateLimit-Limit, X-RateLimit-Remaining)`,
          'Re-run with a smaller --days or --max-conversations',
        ],
      };
    case 'network':
    case 'timeout':
      return {
        heading,
        actions: [
          `Test basic connectivity: curl -I ${baseUrl}/`,
          'Check for proxy settings: echo $HTTP_PROXY $HTTPS_PROXY',
          'Check INTERCOM_API_BASE_URL / INTERCOM_REGION point at the right Intercom',
          'Re-run: an interrupted sync resumes from its last checkpoint',
        ],
      };
    default:
      return {
        heading,
        actions: [
          `Intercom answered unexpectedly: ${e.message}`,
          'Re-run with --verbose and read `fast-intercom-mcp logs`',
        ],
      };
  }
}

export const PERFORMANCE_ADVICE: Advice = {
  heading: 'Recommended Actions',
  actions: [
    'Check network latency to the Intercom API (API Connection → Response Time)',
    "Verify the database isn't on slow storage",
    'Check the rate-limit headers: another app sharing the limit slows the sync',
    'Monitor for background processes affecting performance (./scripts/monitor_memory_usage.sh)',
  ],
};

export const INTEGRITY_ADVICE: Advice = {
  heading: 'Investigation Required',
  actions: [
    'Check Intercom API pagination handling (sync/updated-at-pager.ts)',
    'Verify message retrieval logic (sync/engine.ts)',
    'Review customer data mapping (sync/mapping.ts)',
  ],
};
