/**
 * The tables both engines hold alike, as the queries written once (shared/*.ts, with Kysely) see
 * them. Each engine creates them in its own DDL (sqlite/migrations.ts, postgres/migrations.ts);
 * the columns and their meaning are the same.
 */
import type { Generated } from 'kysely';

export interface SharedTables {
  admins: { id: string; type: string; name: string | null; email: string | null };
  /** `admin_ids`: JSON text (SQLite) or JSONB (PostgreSQL), written as JSON text by both. */
  teams: { id: string; name: string; admin_ids: string };
  tags: { id: string; name: string };
  conversations: {
    rid: number;
    id: string;
    updated_at: number;
    deleted_at: number | null;
    parts_count_stat: number | null;
    thread_read_at: number | null;
    thread_read_updated_at: number | null;
    state: string;
    title: string | null;
    subject: string | null;
    source_body: string | null;
    source_author_type: string;
  };
  /** A conversation's customers' terms (customer-terms.ts); none for one stored before they were kept. */
  conversation_terms: { rid: number; created_at: number; sample: number; terms: string | null };
  /** A ticket's customers' terms, as conversation_terms; none for one stored before they were kept. */
  ticket_terms: { rid: number; created_at: number; terms: string | null };
  parts: { conversation_rid: number; position: number; body: string | null; author_type: string };
  terms: { hash: number; term: string };
  contacts: {
    id: string;
    name: string | null;
    email: string | null;
    name_key: string | null;
    email_key: string | null;
  };
  coverage: { from_ts: number; to_ts: number };
  conversation_contacts: { conversation_rid: number; contact_id: string };
  meta: { key: string; value: string };
  sync_runs: {
    id: Generated<number>;
    kind: string;
    started_at: number;
    finished_at: number | null;
    status: string;
    window_start: number | null;
    conversations: Generated<number>;
    parts: Generated<number>;
    api_calls: Generated<number>;
    rate_limited: Generated<number>;
    error: string | null;
  };
  sync_checkpoint: {
    only_row: number;
    run_id: number;
    window_start: number;
    window_end: number | null;
    backfill_from: number | null;
    mark: number;
    /** JSON text written; read back as text (SQLite) or already parsed (PostgreSQL's JSONB). */
    ids_at_mark: string;
    started_at: number;
  };
  notifications: {
    seq: Generated<number>;
    id: string;
    topic: string;
    created_at: number;
    received_at: number;
    payload: string | null;
    processed_at: number | null;
    outcome: string | null;
    attempts: Generated<number>;
    retry_at: number | null;
  };
  help_collections: {
    id: string;
    name: string;
    description: string | null;
    url: string | null;
    parent_id: string | null;
    position: number;
    updated_at: number;
  };
  /** Written after its contents, so a row here means the article is stored whole (help-center.ts). */
  articles: {
    id: string;
    state: string;
    collection_id: string | null;
    author_id: string | null;
    default_locale: string;
    url: string | null;
    created_at: number;
    updated_at: number;
  };
  /** One row per locale, full-text indexed by each engine's DDL (a trigger; a generated vector). */
  article_contents: {
    cid: Generated<number>;
    article_id: string;
    locale: string;
    title: string;
    description: string | null;
    body: string;
    state: string;
    url: string | null;
    updated_at: number;
  };
  ticket_types: { id: string; category: string; name: string; description: string | null; archived: number };
  /** Stored whole once `stored_version` is set, which also indexes its text (each engine's DDL). */
  tickets: {
    rid: Generated<number>;
    id: string;
    number: string | null;
    type_id: string | null;
    category: string;
    state_id: string | null;
    state_category: string;
    state_label: string | null;
    previous_state_id: string | null;
    open: number;
    title: string | null;
    description: string | null;
    /** JSON text written; read back as text (SQLite) or parsed (PostgreSQL's JSONB). */
    attributes: string;
    admin_assignee_id: string | null;
    team_assignee_id: string | null;
    snoozed_until: number | null;
    is_shared: number;
    created_at: number;
    updated_at: number;
    parts_total: number;
    stored_version: number | null;
    /** Set from its parts by TICKET_FACTS_SQL (insight-rows.ts). */
    first_response_at: number | null;
    resolved_since: number | null;
    ever_resolved: number | null;
    reopened: number | null;
    parts_stored: number | null;
  };
  ticket_parts: {
    ticket_rid: number;
    position: number;
    id: string;
    part_type: string;
    body: string | null;
    created_at: number;
    author_type: string;
    author_id: string | null;
    author_name: string | null;
    author_email: string | null;
    state_category: string | null;
    assigned_to_type: string | null;
    assigned_to_id: string | null;
    attribute_name: string | null;
    attribute_value: string | null;
    /** JSON text written, as `attributes`. */
    attachments: string | null;
  };
  ticket_contacts: { ticket_rid: number; contact_id: string };
  companies: {
    id: string;
    company_id: string | null;
    name: string | null;
    /** The name folded (text-match.ts), and what a search looks in: name, company_id, website, industry. */
    name_key: string | null;
    search_key: string;
    plan: string | null;
    plan_key: string | null;
    size: number | null;
    website: string | null;
    industry: string | null;
    monthly_spend: number | null;
    session_count: number | null;
    user_count: number | null;
    created_at: number | null;
    updated_at: number;
    last_request_at: number | null;
    /** JSON text written; read back as text (SQLite) or parsed (PostgreSQL's JSONB). */
    custom_attributes: string;
    tags: string;
    contacts_read_at: number | null;
  };
  company_contacts: { company_id: string; contact_id: string };
  ticket_links: { ticket_rid: number; kind: string; linked_id: string };
  write_audit: {
    id: Generated<number>;
    handle_hash: string | null;
    principal: string;
    action: string;
    target_type: string;
    target_id: string;
    preview: string;
    request: string;
    created_at: number;
    expires_at: number;
    status: string;
    confirmed_at: number | null;
    finished_at: number | null;
    answer: string | null;
    error: string | null;
  };
}
