/**
 * The text the emulator's workspace is written in: support topics with the customer's opening
 * message, follow-ups, teammate replies and internal notes. Bodies are Intercom-style HTML; the
 * plaintext rendering comes from html-text.ts, as the real API's `display_as=plaintext` would.
 */
import type { Rng } from './prng.js';

export interface Topic {
  key: string;
  tag: string;
  subjects: string[];
  openers: string[];
  followUps: string[];
  replies: string[];
  notes: string[];
}

export const TOPICS: Topic[] = [
  {
    key: 'billing',
    tag: 'billing',
    subjects: ['Charged twice this month', 'Question about my invoice', 'Refund request'],
    openers: [
      'Hi, I was charged twice for the {plan} plan this month. Can you refund the duplicate charge?',
      'Our invoice shows {seats} seats but we only have {seatsLess} people on the team. Why the difference?',
      'Can I switch from monthly to annual billing without losing my discount?',
      'The VAT number on our invoice is wrong, could you reissue it with the correct one?',
    ],
    followUps: [
      'Any update on the refund? It still shows as pending on my card statement.',
      'Thanks. Will the credit show up on the next invoice automatically?',
      'We need this sorted before our finance close on Friday 🙏',
    ],
    replies: [
      'Sorry about the double charge! I have refunded the duplicate payment; it can take 5–10 business days to appear.',
      'I checked your account: the extra seats come from invited users who never accepted. I removed them and prorated the difference.',
      'Yes, you can switch to annual at any time from Settings → Billing, and the discount carries over.',
    ],
    notes: [
      'Refund issued in Stripe, ref {ref}.',
      'Finance asked us to double-check the seat count before crediting.',
    ],
  },
  {
    key: 'login',
    tag: 'login',
    subjects: ['Cannot log in', 'Password reset email never arrives', 'SSO login loop'],
    openers: [
      "I can't log in since this morning. It says my password is incorrect but I just reset it.",
      'The password reset email never arrives. I checked spam too. My email is {email}.',
      'After enabling SSO with Okta our users get stuck in a redirect loop on the login page.',
      'Two-factor codes from my authenticator app are always rejected as invalid.',
    ],
    followUps: [
      'Still locked out. This is blocking my whole team.',
      'Tried again in an incognito window, same problem.',
      'It worked! Thanks so much 😊',
    ],
    replies: [
      'I reset your login attempts counter; please try again and let me know if it still fails.',
      'It looks like your mail server rejected our reset emails. I sent a reset link directly: please check again.',
      'The SSO loop happens when the ACS URL has a trailing slash. Please remove it in Okta and try again.',
    ],
    notes: [
      'Customer is on the legacy auth stack; escalate to identity team if it recurs.',
      'Checked logs: 14 failed attempts from two IPs.',
    ],
  },
  {
    key: 'export',
    tag: 'data-export',
    subjects: ['CSV export is empty', 'Export times out', 'Need a full data export'],
    openers: [
      'When I export the report to CSV the file is empty, only the header row is there.',
      'The export of our {count} records times out after a few minutes. Is there a limit?',
      'We need a full export of our data for an audit. What formats do you support?',
    ],
    followUps: [
      'The export finished but the dates are in the wrong timezone.',
      'Can this be scheduled weekly?',
    ],
    replies: [
      'Exports over 50,000 rows run in the background now; you will get an email with the download link.',
      'The empty CSV is a known bug with filtered views. Our engineers have a fix going out this week.',
      'We support CSV and JSON exports; for a full audit export I have started one for you.',
    ],
    notes: ['Linked to bug ENG-{ref}: empty CSV with saved filters.', 'Large account, export ran 40 min.'],
  },
  {
    key: 'integrations',
    tag: 'integrations',
    subjects: ['Slack integration stopped posting', 'Salesforce sync errors', 'Webhook failures'],
    openers: [
      'Our Slack integration stopped posting notifications to #support yesterday.',
      'The Salesforce sync fails with "INVALID_FIELD: Account.Region__c". Nothing changed on our side.',
      'Webhooks to our endpoint return 200 but you keep retrying them. See {url} for our logs.',
      'Does the Zapier integration support custom fields?',
    ],
    followUps: [
      'Reconnected the app but still nothing in the channel.',
      'The error is back again this morning.',
    ],
    replies: [
      'Slack revoked the token after a workspace permission change. Please reconnect from Settings → Integrations.',
      'That field was deleted in your Salesforce org. Remove it from the field mapping and the sync will resume.',
      'Our webhook client needs the response within 5 seconds; yours takes about 8, so we retry. Can you respond before processing?',
    ],
    notes: [
      'Integration team confirmed token revocation on their side.',
      'Webhook latency p95 8.2 s from our logs.',
    ],
  },
  {
    key: 'performance',
    tag: 'performance',
    subjects: ['Dashboard is very slow', 'App freezing on large projects', 'API latency spike'],
    openers: [
      'The dashboard takes over 30 seconds to load for our team since the last update.',
      'The app freezes for several seconds when I open a project with more than {count} items.',
      'We are seeing API latency spikes above 2 seconds on the /v2/search endpoint.',
    ],
    followUps: ['It is slow again today, same time around 9am.', 'Clearing cache helped a bit but not much.'],
    replies: [
      'We found a slow query affecting large accounts and deployed a fix; load times should be back to normal.',
      'Could you send a HAR file of the slow page load? That helps our engineers pinpoint it.',
    ],
    notes: ['Perf regression traced to release 4.12, rollback planned.', 'Customer on the EU cluster.'],
  },
  {
    key: 'bug',
    tag: 'bug',
    subjects: ['Button does nothing', 'Error 500 when saving', 'Wrong numbers in the report'],
    openers: [
      'Clicking "Save changes" does nothing on the settings page. No error either.',
      'I get an error 500 every time I try to save a form with an emoji in the title 🤔',
      'The weekly report shows numbers that do not match the dashboard.',
      'Die Übersetzung im Menü ist falsch: „Einstellungen“ erscheint als „Settings“.',
      '日本語のファイル名でアップロードすると文字化けします。',
    ],
    followUps: ['Here is a screenshot of the console error.', 'This happens on Chrome and Firefox.'],
    replies: [
      'Thanks for the report! I reproduced it and filed it with our engineers; I will update you when it is fixed.',
      "This is fixed in today's release. Please refresh and try again.",
    ],
    notes: ['Filed as ENG-{ref}, severity 2.', 'Repro steps confirmed on staging.'],
  },
  {
    key: 'feature',
    tag: 'feature-request',
    subjects: ['Feature request: dark mode', 'Can we get an API for this?', 'Bulk edit please'],
    openers: [
      'Would love a dark mode. My eyes hurt after a long day 🌙',
      'Is there an API endpoint to manage user roles? We want to automate onboarding.',
      'Please add bulk editing for tags. Editing {count} items one by one is painful.',
    ],
    followUps: ['Is this on the roadmap?', 'Any ETA for this?'],
    replies: [
      'Great idea! I passed it on to our product team and added your vote.',
      'Bulk editing is on our roadmap for next quarter. I will let you know when it ships.',
    ],
    notes: ['+1 for dark mode, tagged for product.', 'Roadmap item PRD-{ref}.'],
  },
  {
    key: 'onboarding',
    tag: 'onboarding',
    subjects: ['Getting started', 'How do I invite my team?', 'Importing from a spreadsheet'],
    openers: [
      'Just signed up! How do I invite my team members?',
      'How do I import our existing customers from a spreadsheet?',
      'Is there a guide for setting up the workspace for a team of {seats}?',
    ],
    followUps: ['Thanks, that helped. One more question: can guests see private projects?'],
    replies: [
      'Welcome aboard! You can invite teammates from Settings → Team. Here is our guide: {url}',
      'You can import a CSV from Settings → Import; the first row must contain column names.',
    ],
    notes: ['Trial account, high intent: loop in sales.'],
  },
  {
    key: 'cancellation',
    tag: 'churn-risk',
    subjects: ['Cancel my subscription', 'Downgrade to the free plan', 'Thinking of leaving'],
    openers: [
      'Please cancel our subscription at the end of this billing period.',
      'We are moving to a competitor because the reporting is too limited for us.',
      'How do I downgrade to the free plan without losing our data?',
    ],
    followUps: ['Please confirm the cancellation in writing.', 'OK, we will give the new reports a try.'],
    replies: [
      'Sorry to see you go! Before you cancel, may I show you the new reporting features released last week?',
      'Your subscription is set to cancel on the renewal date; your data stays available for 90 days.',
    ],
    notes: ['Churn risk: {seats} seats, annual contract. CSM informed.', 'Offered 20% retention discount.'],
  },
  {
    key: 'api',
    tag: 'api',
    subjects: ['API rate limit errors', '401 from the API', 'Pagination question'],
    openers: [
      'We keep getting 429 Too Many Requests from the API even though we send fewer than 100 requests a minute.',
      'Our API token returns 401 Unauthorized since yesterday. Did something change?',
      'When paging through /v2/items with a cursor we sometimes get duplicates. Is that expected?',
    ],
    followUps: ['Here is a request id: {ref}.', 'We rotated the token and it works now.'],
    replies: [
      'Limits are enforced per 10-second window, so bursts can hit them. Spread your requests or read the rate-limit headers.',
      'Tokens are revoked when the app owner leaves the workspace. Please create a new token.',
    ],
    notes: ['API customer, integration built by an agency.'],
  },
];

const PLANS = ['Starter', 'Pro', 'Business', 'Enterprise'];
const URLS = [
  'https://example.com/help/getting-started',
  'https://status.example.com',
  'https://logs.example.org/requests',
];

/** Fills a template's placeholders from the rng; `{url}` becomes a link, as Intercom stores it. */
export function fillTemplate(rng: Rng, template: string, email: string): string {
  return template
    .replace('{plan}', () => rng.pick(PLANS))
    .replace('{seats}', () => String(rng.int(5, 80)))
    .replace('{seatsLess}', () => String(rng.int(2, 4)))
    .replace('{count}', () => String(rng.int(2, 90) * 1000))
    .replace('{ref}', () => String(rng.int(1000, 9999)))
    .replace('{email}', () => email)
    .replace('{url}', () => {
      const url = rng.pick(URLS);
      return `<a href="${url}">${url.replace('https://', '')}</a>`;
    });
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Wraps a filled template in paragraphs, escaping everything but the links the template made. */
export function toHtmlBody(filled: string): string {
  const escaped = escapeHtml(filled).replace(
    /&lt;a href=&quot;(.*?)&quot;&gt;(.*?)&lt;\/a&gt;/g,
    '<a href="$1">$2</a>',
  );
  return `<p>${escaped}</p>`;
}

/**
 * How long messages are, in characters of text: log-normal per role, because message lengths in
 * chat and e-mail are right-skewed (many short lines, a long tail of pasted detail) and a
 * log-normal is the usual model of that. The medians are a modelling choice, not a measurement
 * of any workspace: a customer writes two or three chat sentences (140), a teammate's reply
 * carries a greeting, the answer, steps and a sign-off (320), an internal note is a line or two
 * (90). A sigma of 0.7 puts one message in ten at 2.5 times its median or more.
 */
export const MESSAGE_LENGTHS = {
  customer: { median: 140, sigma: 0.7 },
  teammate: { median: 320, sigma: 0.7 },
  note: { median: 90, sigma: 0.7 },
} as const;
export type MessageRole = keyof typeof MESSAGE_LENGTHS;
const MAX_MESSAGE_CHARS = 4000;

/** Topic-neutral sentences that bring a message to its drawn length. */
const FILLER: Record<MessageRole, string[]> = {
  customer: [
    'I am using the web app on a laptop, if that matters.',
    'A colleague sees the same thing on her account.',
    'It started this morning as far as I can tell.',
    'Let me know if you need screenshots or anything else from my side.',
    'We are a small team, so this matters a lot to us right now.',
    'I looked through the help center first but could not find an answer.',
    'Sorry for the long message, I wanted to give you all the details.',
    'Nothing changed on our side recently, at least nothing I know of.',
    'Happy to jump on a quick call if that is easier.',
    'Thanks in advance for looking into it!',
  ],
  teammate: [
    'Thanks for reaching out, and sorry for the trouble.',
    'I have looked into your account to see what is going on.',
    'If anything is still unclear, just reply here and I will pick it up.',
    'I will keep this conversation open until you confirm that everything works.',
    'You can also find more details in our help center.',
    'Let me know how it goes on your side.',
    'I have added a note to your account so that anyone on the team can follow up.',
    'Have a great rest of your day!',
  ],
  note: [
    'Checked with the team lead.',
    'Follow up tomorrow if there is no reply.',
    'Account owner copied on the thread.',
    'Same pattern as last month.',
  ],
};

/** Adds sentences after a filled template until it reaches a length drawn for its role. */
export function toLength(rng: Rng, filled: string, role: MessageRole): string {
  const { median, sigma } = MESSAGE_LENGTHS[role];
  const target = Math.min(MAX_MESSAGE_CHARS, rng.logNormal(median, sigma));
  let out = filled;
  while (out.length < target) out += ` ${rng.pick(FILLER[role])}`;
  return out;
}

const LONG_PARAGRAPHS = [
  'Here are the steps to reproduce: open the project, filter by status, sort by date, then export.',
  'Our environment: macOS 14, Chrome 126, about 40 people on the account across three time zones.',
  'We have tried clearing the cache, logging out and in again, and using another browser.',
  'This matters to us because our quarterly review depends on these numbers being correct.',
];

/** A long, multi-paragraph body, for threads where customers paste logs and context. */
export function longBody(rng: Rng, opener: string): string {
  const paragraphs = [opener];
  const n = rng.int(8, 25);
  for (let i = 0; i < n; i++) paragraphs.push(escapeHtml(rng.pick(LONG_PARAGRAPHS)));
  return paragraphs.map((p) => (p.startsWith('<p>') ? p : `<p>${p}</p>`)).join('');
}

export const FIRST_NAMES = [
  'Alice',
  'Bruno',
  'Chloé',
  'Dmitri',
  'Emeka',
  'Fatima',
  'Greta',
  'Hiroshi',
  'Ines',
  'José',
  'Kwame',
  'Lena',
  'Mateo',
  'Nadia',
  'Oskar',
  'Priya',
  'Quentin',
  'Rosa',
  'Søren',
  'Tomás',
  'Uma',
  'Wei',
  'Yara',
  'Zoë',
];
export const LAST_NAMES = [
  'Andersen',
  'Bianchi',
  'Chen',
  'Dubois',
  'Eriksson',
  'Fernández',
  'García',
  'Haddad',
  'Ivanova',
  'Jansen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  "O'Brien",
  'Patel',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Weiß',
];
export const COMPANY_DOMAINS = [
  'acme.io',
  'globex.com',
  'initech.co',
  'umbrella.dev',
  'hooli.xyz',
  'example.org',
];
