/**
 * Every tool the server offers, in the order clients list them: the one place tools are registered
 * from. `TOOLS` are served by default; `WRITE_TOOLS` only when writes are allowed.
 */
import { conversationStats } from './conversation-stats.js';
import { conversationThemes } from './conversation-themes.js';
import { getArticle } from './get-article.js';
import { getCompany } from './get-company.js';
import { getContact } from './get-contact.js';
import { getConversation } from './get-conversation.js';
import { getServerStatus } from './get-server-status.js';
import { getTicket } from './get-ticket.js';
import { listWorkspace } from './list-workspace.js';
import { fetch, search } from './search.js';
import { searchArticles } from './search-articles.js';
import { searchCompanies } from './search-companies.js';
import { searchContacts } from './search-contacts.js';
import { searchConversations } from './search-conversations.js';
import { searchTickets } from './search-tickets.js';
import { serviceLevels } from './service-levels.js';
import { ticketStats } from './ticket-stats.js';
import { syncConversations } from './sync-conversations.js';
import { actOnConversation } from './act-on-conversation.js';
import { actOnTicket } from './act-on-ticket.js';
import { confirmWrite } from './confirm-write.js';
import { replyToCustomer } from './reply-to-customer.js';

export const TOOLS = [
  searchConversations,
  getConversation,
  getServerStatus,
  syncConversations,
  conversationStats,
  conversationThemes,
  serviceLevels,
  searchTickets,
  getTicket,
  ticketStats,
  searchContacts,
  getContact,
  searchCompanies,
  getCompany,
  searchArticles,
  getArticle,
  listWorkspace,
  search,
  fetch,
] as const;

export const TOOL_NAMES = TOOLS.map((t) => t.name);

/** The writes to Intercom, served only when allowed (--allow-writes, --allow-replies). */
export const WRITE_TOOLS = [actOnConversation, actOnTicket, replyToCustomer, confirmWrite] as const;

/** Every tool a server can serve: the reads and syncs, then the writes. */
export const ALL_TOOLS = [...TOOLS, ...WRITE_TOOLS] as const;
