/**
 * The people of the emulated workspace: admins (teammates and a bot), teams, tags and contacts.
 * Contacts are generated on demand from their index; the index is encoded in the id so that a
 * contact can be found from its id without keeping a map of tens of thousands of them.
 */
import { COMPANY_DOMAINS, FIRST_NAMES, LAST_NAMES, TOPICS } from './corpus.js';
import { Rng } from './prng.js';

export interface Admin {
  id: string;
  name: string;
  email: string;
  jobTitle: string;
  teamIds: number[];
  isBot: boolean;
}

export interface Team {
  id: string;
  name: string;
  adminIds: number[];
}

export interface Tag {
  id: string;
  name: string;
}

export interface Contact {
  index: number;
  id: string;
  externalId: string | null;
  role: 'user' | 'lead';
  name: string | null;
  email: string | null;
  createdAt: number;
}

const TEAM_NAMES = ['Support', 'Billing', 'Technical', 'Success'];
const JOB_TITLES = ['Support Engineer', 'Customer Success Manager', 'Support Lead', 'Billing Specialist'];
const EXTRA_TAGS = ['urgent', 'vip', 'escalated', 'needs-followup', 'duplicate'];

export class Directory {
  readonly admins: Admin[];
  readonly teams: Team[];
  readonly tags: Tag[];
  readonly bot: Admin;
  readonly humans: Admin[];

  constructor(
    private readonly seed: string,
    readonly contactCount: number,
    private readonly anchor: number,
    private readonly days: number,
  ) {
    const rng = new Rng(seed, 'directory');
    this.teams = TEAM_NAMES.map((name, i) => ({
      id: String(5017690 + i * 7 + rng.int(0, 6)),
      name,
      adminIds: [],
    }));
    const humanCount = 10;
    this.humans = [];
    const used = new Set<string>();
    for (let i = 0; i < humanCount; i++) {
      let first = rng.pick(FIRST_NAMES);
      let last = rng.pick(LAST_NAMES);
      while (used.has(`${first} ${last}`)) {
        first = rng.pick(FIRST_NAMES);
        last = rng.pick(LAST_NAMES);
      }
      used.add(`${first} ${last}`);
      const team = this.teams[i % this.teams.length]!;
      const admin: Admin = {
        id: String(991267400 + i * 13 + rng.int(0, 12)),
        name: `${first} ${last}`,
        email: `${first
          .normalize('NFD')
          .replace(/[^A-Za-z]/g, '')
          .toLowerCase()}@support.example.com`,
        jobTitle: rng.pick(JOB_TITLES),
        teamIds: [Number(team.id)],
        isBot: false,
      };
      team.adminIds.push(Number(admin.id));
      this.humans.push(admin);
    }
    this.bot = {
      id: String(991267390 + rng.int(0, 9)),
      name: 'Fin',
      email: 'operator+fin@intercom.io',
      jobTitle: 'AI agent',
      teamIds: [],
      isBot: true,
    };
    this.admins = [...this.humans, this.bot];
    const tagNames = [...new Set(TOPICS.map((t) => t.tag)), ...EXTRA_TAGS];
    this.tags = tagNames.map((name, i) => ({ id: String(81000 + i * 17 + rng.int(0, 16)), name }));
  }

  admin(id: string | number): Admin | undefined {
    return this.admins.find((a) => a.id === String(id));
  }

  team(id: string | number): Team | undefined {
    return this.teams.find((t) => t.id === String(id));
  }

  tag(id: string): Tag | undefined {
    return this.tags.find((t) => t.id === id);
  }

  tagByName(name: string): Tag {
    const tag = this.tags.find((t) => t.name === name);
    if (!tag) throw new Error(`unknown tag ${name}`);
    return tag;
  }

  /** Every contact, in index order. */
  *contacts(): Generator<Contact> {
    for (let i = 0; i < this.contactCount; i++) yield this.contact(i);
  }

  contact(index: number): Contact {
    const rng = new Rng(this.seed, 'contact', index);
    const id = rng.hex(16) + index.toString(16).padStart(8, '0');
    const role = rng.chance(0.8) ? 'user' : 'lead';
    // Leads and anonymous visitors often have neither name nor email; the sync must cope.
    const anonymous = role === 'lead' && rng.chance(0.5);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const hasName = !anonymous && rng.chance(0.92);
    const hasEmail = !anonymous && rng.chance(0.95);
    const local = `${first}.${last}`
      .normalize('NFD')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase();
    return {
      index,
      id,
      externalId: role === 'user' ? String(100000 + index) : null,
      role,
      name: hasName ? `${first} ${last}` : null,
      email: hasEmail ? `${local}${index}@${rng.pick(COMPANY_DOMAINS)}` : null,
      createdAt: this.anchor - this.days * 86400 - rng.int(0, 400 * 86400),
    };
  }

  contactById(id: string): Contact | undefined {
    if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
    const index = parseInt(id.slice(16), 16);
    if (index >= this.contactCount) return undefined;
    const contact = this.contact(index);
    return contact.id === id ? contact : undefined;
  }
}
