/** A company as the API gives it, as the copy keeps it. */
import type { ApiCompany } from '../intercom/schemas.js';
import type { CompanyRecord } from '../store/types.js';

/** Scalars kept as they come; anything else (Intercom documents none) as its JSON text. */
function scalar(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

export function toCompanyRecord(c: ApiCompany): CompanyRecord {
  return {
    id: c.id,
    companyId: c.company_id ?? null,
    name: c.name ?? null,
    plan: c.plan?.name ?? null,
    size: c.size ?? null,
    website: c.website ?? null,
    industry: c.industry ?? null,
    monthlySpend: c.monthly_spend ?? null,
    sessionCount: c.session_count ?? null,
    userCount: c.user_count ?? null,
    createdAt: c.created_at ?? null,
    updatedAt: c.updated_at,
    lastRequestAt: c.last_request_at ?? null,
    customAttributes: Object.fromEntries(
      Object.entries(c.custom_attributes ?? {}).map(([k, v]) => [k, scalar(v)]),
    ),
    tags: (c.tags?.tags ?? []).map((t) => t.name),
  };
}
