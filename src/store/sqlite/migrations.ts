/**
 * Schema migrations, tracked by `PRAGMA user_version`. Each entry moves the schema up one version
 * inside one transaction; a database newer than the last entry is refused by connection.ts.
 */

import { TERMS_SAMPLED_SQL, TICKET_TERMS_SQL, TERMS_BY_TIME_SQL, TICKET_FACTS_SQL } from '../insight-rows.js';
import { WRITE_AUDIT_SQL } from '../write-audit-rows.js';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    title TEXT,
    subject TEXT,
    state TEXT NOT NULL,
    read INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    admin_assignee_id TEXT,
    team_assignee_id TEXT,
    waiting_since INTEGER,
    snoozed_until INTEGER,
    source_type TEXT NOT NULL,
    delivered_as TEXT,
    source_body TEXT,
    source_author_type TEXT NOT NULL,
    source_author_id TEXT,
    parts_total INTEGER NOT NULL,
    parts_stored INTEGER NOT NULL,
    first_admin_reply_at INTEGER,
    first_close_at INTEGER,
    last_close_at INTEGER,
    rating INTEGER,
    deleted_at INTEGER
  );
  CREATE INDEX conversations_updated ON conversations(updated_at);
  CREATE INDEX conversations_created ON conversations(created_at);

  CREATE TABLE parts (
    conversation_rid INTEGER NOT NULL REFERENCES conversations(rid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL,
    part_type TEXT NOT NULL,
    body TEXT,
    created_at INTEGER NOT NULL,
    author_type TEXT NOT NULL,
    author_id TEXT,
    assigned_to_type TEXT,
    assigned_to_id TEXT,
    attachments TEXT,
    PRIMARY KEY (conversation_rid, position)
  ) WITHOUT ROWID;

  CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    name TEXT,
    email TEXT,
    external_id TEXT,
    created_at INTEGER
  );
  CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE);

  CREATE TABLE admins (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT,
    email TEXT
  );
  CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL, admin_ids TEXT NOT NULL);
  CREATE TABLE tags (id TEXT PRIMARY KEY, name TEXT NOT NULL);

  CREATE TABLE conversation_contacts (
    conversation_rid INTEGER NOT NULL REFERENCES conversations(rid) ON DELETE CASCADE,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (conversation_rid, contact_id)
  ) WITHOUT ROWID;
  CREATE INDEX conversation_contacts_contact ON conversation_contacts(contact_id);

  CREATE TABLE conversation_tags (
    conversation_rid INTEGER NOT NULL REFERENCES conversations(rid) ON DELETE CASCADE,
    tag_id TEXT NOT NULL,
    PRIMARY KEY (conversation_rid, tag_id)
  ) WITHOUT ROWID;

  -- Contentless: the text lives once, in conversations and parts; the index holds only terms.
  CREATE VIRTUAL TABLE conversations_fts USING fts5(
    subject, body, people,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
  );

  CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    status TEXT NOT NULL,
    window_start INTEGER,
    conversations INTEGER NOT NULL DEFAULT 0,
    parts INTEGER NOT NULL DEFAULT 0,
    api_calls INTEGER NOT NULL DEFAULT 0,
    rate_limited INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );
  CREATE TABLE sync_checkpoint (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    run_id INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    mark INTEGER NOT NULL,
    ids_at_mark TEXT NOT NULL,
    started_at INTEGER NOT NULL
  );
  CREATE TABLE coverage (from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL, PRIMARY KEY (from_ts)) WITHOUT ROWID;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // Counting a filtered set scanned the wide conversations rows, the slowest part of a search in a
  // large workspace. These narrow indexes answer every filter and count without touching the rows:
  // by filter columns for time windows and states, by rid for the matches of a text or tag search.
  // The FTS ranking weights move into the index's own rank, which FTS5 can order by cheaply.
  `
  CREATE INDEX conversations_filter
    ON conversations(deleted_at, updated_at, created_at, state, admin_assignee_id, team_assignee_id);
  CREATE INDEX conversations_by_rid
    ON conversations(rid, deleted_at, updated_at, created_at, state, admin_assignee_id, team_assignee_id);
  CREATE INDEX conversation_tags_tag ON conversation_tags(tag_id, conversation_rid);
  INSERT INTO conversations_fts(conversations_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0, 2.0)');
  `,
  // Filtering by state or by assignee alone read every live entry of conversations_filter; these
  // count and page such filters in their own range, newest first.
  `
  CREATE INDEX conversations_state ON conversations(state, deleted_at, updated_at);
  CREATE INDEX conversations_admin ON conversations(admin_assignee_id, deleted_at, updated_at);
  `,
  // Metadata-only updates: a search item whose statistics.count_conversation_parts equals the one
  // stored with the last full read changed no part, so its thread need not be fetched again. When
  // that read was made, and the updated_at it saw, tell which threads had metadata applied since.
  `
  ALTER TABLE conversations ADD COLUMN parts_count_stat INTEGER;
  ALTER TABLE conversations ADD COLUMN thread_read_at INTEGER;
  ALTER TABLE conversations ADD COLUMN thread_read_updated_at INTEGER;
  `,
  // Backfills newest first, chunk by chunk: a checkpoint names its chunk's end and the run's start.
  `
  ALTER TABLE sync_checkpoint ADD COLUMN window_end INTEGER;
  ALTER TABLE sync_checkpoint ADD COLUMN backfill_from INTEGER;
  `,
  // The sync lock moves from a lock file into the database: taking it is one write transaction,
  // so two processes that find a stale lock at the same moment cannot both take it over.
  `
  CREATE TABLE sync_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at INTEGER NOT NULL
  );
  `,
  // Contacts are matched by folded keys (text-match.ts's fold: Unicode case and diacritics), since
  // SQLite's LIKE folds ASCII only; fim_fold is that function, registered by connection.ts.
  `
  ALTER TABLE contacts ADD COLUMN name_key TEXT;
  ALTER TABLE contacts ADD COLUMN email_key TEXT;
  UPDATE contacts SET name_key = fim_fold(name), email_key = fim_fold(email);
  DROP INDEX contacts_email;
  CREATE INDEX contacts_email_key ON contacts(email_key);
  `,
  // Several servers on one copy: the one leading the scheduled syncs, taken like the sync lock.
  `
  CREATE TABLE sync_leader (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at INTEGER NOT NULL
  );
  `,
  // Webhook notifications: queued as received, processed in order of arrival, kept a while by id.
  `
  CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    payload TEXT,
    processed_at INTEGER,
    outcome TEXT
  );
  CREATE INDEX notifications_pending ON notifications(seq) WHERE processed_at IS NULL;
  CREATE INDEX notifications_processed ON notifications(processed_at);
  `,
  // A notification that cannot be applied is retried later, then parked, instead of blocking the queue.
  `
  ALTER TABLE notifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE notifications ADD COLUMN retry_at INTEGER;
  `,
  // The Help Center: collections, articles, and each article's contents per locale, indexed by an
  // external-content FTS5 table that triggers keep in step with every write (the text is stored once).
  `
  CREATE TABLE help_collections (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, url TEXT,
    parent_id TEXT, position INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE articles (id TEXT PRIMARY KEY, state TEXT NOT NULL, collection_id TEXT, author_id TEXT,
    default_locale TEXT NOT NULL, url TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE article_contents (cid INTEGER PRIMARY KEY, article_id TEXT NOT NULL, locale TEXT NOT NULL,
    title TEXT NOT NULL, description TEXT, body TEXT NOT NULL, state TEXT NOT NULL, url TEXT,
    updated_at INTEGER NOT NULL, UNIQUE (article_id, locale));
  CREATE VIRTUAL TABLE article_contents_fts USING fts5(title, description, body,
    content = 'article_contents', content_rowid = 'cid', tokenize = 'porter unicode61 remove_diacritics 2');
  CREATE TRIGGER article_contents_ai AFTER INSERT ON article_contents BEGIN
    INSERT INTO article_contents_fts (rowid, title, description, body)
      VALUES (new.cid, new.title, new.description, new.body);
  END;
  CREATE TRIGGER article_contents_ad AFTER DELETE ON article_contents BEGIN
    INSERT INTO article_contents_fts (article_contents_fts, rowid, title, description, body)
      VALUES ('delete', old.cid, old.title, old.description, old.body);
  END;
  CREATE TRIGGER article_contents_au AFTER UPDATE ON article_contents BEGIN
    INSERT INTO article_contents_fts (article_contents_fts, rowid, title, description, body)
      VALUES ('delete', old.cid, old.title, old.description, old.body);
    INSERT INTO article_contents_fts (rowid, title, description, body)
      VALUES (new.cid, new.title, new.description, new.body);
  END;
  `,
  // Tickets: a row each, its parts, contacts and links. A ticket is written row first with no
  // stored_version, then its parts, then stored_version: that last write indexes the ticket's text
  // (a contentless FTS5 table, as for conversations: the text is stored once, in the parts), so a
  // ticket whose write was cut short has no version and is read again by the next sync.
  `
  CREATE TABLE ticket_types (id TEXT PRIMARY KEY, category TEXT NOT NULL, name TEXT NOT NULL,
    description TEXT, archived INTEGER NOT NULL);
  CREATE TABLE tickets (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, number TEXT, type_id TEXT,
    category TEXT NOT NULL, state_id TEXT, state_category TEXT NOT NULL, state_label TEXT,
    previous_state_id TEXT, open INTEGER NOT NULL, title TEXT, description TEXT, attributes TEXT NOT NULL,
    admin_assignee_id TEXT, team_assignee_id TEXT, snoozed_until INTEGER, is_shared INTEGER NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, parts_total INTEGER NOT NULL,
    stored_version INTEGER);
  CREATE INDEX tickets_updated ON tickets(updated_at);
  CREATE INDEX tickets_number ON tickets(number);
  CREATE TABLE ticket_parts (
    ticket_rid INTEGER NOT NULL REFERENCES tickets(rid) ON DELETE CASCADE,
    position INTEGER NOT NULL, id TEXT NOT NULL, part_type TEXT NOT NULL, body TEXT,
    created_at INTEGER NOT NULL, author_type TEXT NOT NULL, author_id TEXT, author_name TEXT,
    author_email TEXT, state_category TEXT, assigned_to_type TEXT, assigned_to_id TEXT,
    attribute_name TEXT, attribute_value TEXT, attachments TEXT,
    PRIMARY KEY (ticket_rid, position)
  ) WITHOUT ROWID;
  CREATE TABLE ticket_contacts (
    ticket_rid INTEGER NOT NULL REFERENCES tickets(rid) ON DELETE CASCADE,
    contact_id TEXT NOT NULL, PRIMARY KEY (ticket_rid, contact_id)
  ) WITHOUT ROWID;
  CREATE INDEX ticket_contacts_contact ON ticket_contacts(contact_id);
  CREATE TABLE ticket_links (
    ticket_rid INTEGER NOT NULL REFERENCES tickets(rid) ON DELETE CASCADE,
    kind TEXT NOT NULL, linked_id TEXT NOT NULL, PRIMARY KEY (ticket_rid, kind, linked_id)
  ) WITHOUT ROWID;
  CREATE INDEX ticket_links_linked ON ticket_links(linked_id);
  CREATE VIRTUAL TABLE tickets_fts USING fts5(title, description, body,
    content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
  CREATE TRIGGER tickets_index AFTER UPDATE OF stored_version ON tickets
    WHEN new.stored_version IS NOT NULL BEGIN
    DELETE FROM tickets_fts WHERE rowid = new.rid;
    INSERT INTO tickets_fts (rowid, title, description, body) VALUES (new.rid, new.title, new.description,
      (SELECT group_concat(body, ' ') FROM ticket_parts WHERE ticket_rid = new.rid));
  END;
  CREATE TRIGGER tickets_unindex AFTER DELETE ON tickets BEGIN
    DELETE FROM tickets_fts WHERE rowid = old.rid;
  END;
  `,
  // Companies, and which contacts belong to each (read from the company's side, both ways here).
  // A search scans the folded keys: a workspace holds thousands of companies, not millions.
  `
  CREATE TABLE companies (id TEXT PRIMARY KEY, company_id TEXT, name TEXT, name_key TEXT,
    search_key TEXT NOT NULL, plan TEXT, plan_key TEXT, size INTEGER, website TEXT, industry TEXT,
    monthly_spend REAL, session_count INTEGER, user_count INTEGER, created_at INTEGER,
    updated_at INTEGER NOT NULL, last_request_at INTEGER, custom_attributes TEXT NOT NULL,
    tags TEXT NOT NULL, contacts_read_at INTEGER);
  CREATE INDEX companies_company_id ON companies(company_id);
  CREATE INDEX companies_name_key ON companies(name_key);
  CREATE TABLE company_contacts (company_id TEXT NOT NULL, contact_id TEXT NOT NULL,
    PRIMARY KEY (company_id, contact_id)) WITHOUT ROWID;
  CREATE INDEX company_contacts_contact ON company_contacts(contact_id);
  `,
  // Themes: what customers wrote in each conversation, as packed term hashes, and each hash's
  // words. Conversations stored before have none until the sync indexes them.
  `
  ALTER TABLE conversations ADD COLUMN customer_terms BLOB;
  CREATE TABLE terms (hash INTEGER PRIMARY KEY, term TEXT NOT NULL);
  `,
  // Service levels: Intercom's count of reopens (statistics.count_reopens). Null for a
  // conversation stored before, whose reopens are judged from its close times (levels-tally.ts).
  `ALTER TABLE conversations ADD COLUMN reopens INTEGER;`,
  // Themes and service levels read a window's conversations in one value each (insight-rows.ts):
  // what they read of a conversation sits in one index, and its customers' terms in a narrow table
  // beside it, as text (customer-terms.ts), not at the end of the conversation's wide row. The old
  // packed hashes are dropped with their names; the sync derives the new ones from the messages.
  // A ticket's service-level facts go on its row, set from its stored parts (TICKET_FACTS_SQL).
  `
  CREATE TABLE conversation_terms (
    rid INTEGER PRIMARY KEY REFERENCES conversations(rid) ON DELETE CASCADE,
    terms TEXT NOT NULL
  );
  ALTER TABLE conversations DROP COLUMN customer_terms;
  DELETE FROM terms;
  ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
  ALTER TABLE tickets ADD COLUMN resolved_since INTEGER;
  ALTER TABLE tickets ADD COLUMN ever_resolved INTEGER;
  ALTER TABLE tickets ADD COLUMN reopened INTEGER;
  ALTER TABLE tickets ADD COLUMN parts_stored INTEGER;
  ${TICKET_FACTS_SQL('true')};
  CREATE INDEX tickets_levels ON tickets(created_at, state_category, first_response_at, resolved_since,
    ever_resolved, reopened, parts_stored, parts_total, admin_assignee_id, team_assignee_id);
  CREATE INDEX conversations_insights ON conversations(deleted_at, created_at, state, admin_assignee_id,
    team_assignee_id, first_admin_reply_at, first_close_at, last_close_at, reopens);
  `,
  // Themes read a window from the terms table alone (THEME_WINDOW_SQL): each conversation's
  // creation time beside its terms, a row per live conversation.
  TERMS_BY_TIME_SQL('INTEGER'),
  // Themes name a few tickets that show each (THEME_TICKETS_SQL): their customers' terms.
  TICKET_TERMS_SQL('INTEGER'),
  // A window's sample read as a few ranges of the terms table (termsIn).
  TERMS_SAMPLED_SQL.sqlite,
  // The audit trail of writes to Intercom (write-audit-rows.ts).
  WRITE_AUDIT_SQL('INTEGER PRIMARY KEY', 'INTEGER'),
  // The status counts the stored messages as the conversations' stored parts, and the truncated
  // threads, from this index: counting the parts read the whole copy (100k: 130 ms on SQLite,
  // and 100 ms more for the truncated ones, each time the data changed).
  `CREATE INDEX conversations_parts ON conversations (deleted_at, parts_stored, parts_total);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
