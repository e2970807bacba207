/**
 * The emulated workspace's companies: generated from the seed, kept whole (a workspace holds
 * thousands, not millions) and changed in place by the control API. Users belong to companies
 * unevenly, as customers do: a few large accounts hold many of them. Attaching or detaching a
 * contact changes a company's `user_count` and not its `updated_at` (Intercom documents neither,
 * so the emulator takes the harder case for a client that polls).
 */
import { Rng } from './prng.js';
import type { Directory } from './directory.js';
import { ScrollBook } from './company-scroll.js';

export interface CompanyPlan {
  id: string;
  name: string;
}

export interface Company {
  index: number;
  id: string;
  companyId: string;
  name: string;
  plan: CompanyPlan | null;
  size: number;
  website: string;
  industry: string;
  monthlySpend: number;
  sessionCount: number;
  createdAt: number;
  remoteCreatedAt: number;
  updatedAt: number;
  lastRequestAt: number;
  customAttributes: Record<string, string>;
  tagIds: string[];
}

/** What the control API may do to a company; all but attach and detach bump its `updated_at`. */
export type CompanyChange =
  | { kind: 'plan'; plan: string }
  | { kind: 'attribute'; name: string; value: string }
  | { kind: 'tag'; tagId: string }
  | { kind: 'attach'; contactIndex: number }
  | { kind: 'detach'; contactIndex: number };

export const PLANS: CompanyPlan[] = [
  { id: '269315', name: 'Starter' },
  { id: '269316', name: 'Pro' },
  { id: '269317', name: 'Enterprise' },
];
const PREFIXES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Northwind',
  'Vandelay',
  'Stark',
  'Wayne',
  'Tyrell',
  'Soylent',
  'Cyberdyne',
  'Aperture',
  'Oscorp',
  'Wonka',
  'Gringotts',
  'Monarch',
  'Blue Sun',
  'Pied Piper',
  'Massive Dynamic',
];
const SUFFIXES = [
  'Labs',
  'Systems',
  'GmbH',
  'Ltd',
  'Analytics',
  'Logistics',
  'Health',
  'Foods',
  'Media',
  'Cloud',
];
const INDUSTRIES = ['Software', 'Retail', 'Healthcare', 'Logistics', 'Finance', 'Education', 'Media'];
const REGIONS = ['EMEA', 'NA', 'APAC', 'LATAM'];

/** A company's name: prefix and suffix, numbered once every pair is taken. */
function companyName(index: number): string {
  const pairs = PREFIXES.length * SUFFIXES.length;
  // A stride coprime with the pair count walks every pair before repeating one.
  const pair = (index * 37) % pairs;
  const base = `${PREFIXES[pair % PREFIXES.length]} ${SUFFIXES[Math.floor(pair / PREFIXES.length)]}`;
  return index < pairs ? base : `${base} ${Math.floor(index / pairs) + 1}`;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '');

export class CompanyBook {
  private readonly companies = new Map<string, Company>();
  private readonly members = new Map<number, Set<number>>();
  private readonly memberships = new Map<number, Set<number>>();
  private readonly byIndex: Company[] = [];
  private readonly listeners: ((topic: string, company: Company) => void)[] = [];
  readonly scrolls: ScrollBook;

  constructor(
    private readonly seed: string,
    count: number,
    private readonly anchor: number,
    private readonly directory: Directory,
    scrollExpirySeconds: number,
  ) {
    this.scrolls = new ScrollBook(scrollExpirySeconds);
    for (let i = 0; i < count; i++) this.put(this.generate(i));
    if (count === 0) return;
    for (let c = 0; c < directory.contactCount; c++) {
      if (directory.contact(c).role !== 'user') continue;
      const rng = new Rng(seed, 'membership', c);
      if (!rng.chance(0.85)) continue;
      // Squared: the first companies are the large accounts, holding most users.
      this.link(Math.floor(count * rng.next() ** 2), c);
      if (rng.chance(0.05)) this.link(rng.int(0, count - 1), c);
    }
  }

  /** Called after each change Intercom has a webhook topic for. */
  onChange(listener: (topic: string, company: Company) => void): void {
    this.listeners.push(listener);
  }

  private generate(index: number, at?: number, name?: string): Company {
    const rng = new Rng(this.seed, 'company', index);
    const id = rng.hex(16) + index.toString(16).padStart(8, '0');
    const createdAt = at ?? this.anchor - rng.int(30, 900) * 86400;
    const updatedAt = at ?? Math.min(this.anchor - 60, createdAt + rng.int(0, 400) * 86400);
    const fullName = name ?? companyName(index);
    return {
      index,
      id,
      companyId: String(200000 + index),
      name: fullName,
      plan: rng.chance(0.9) ? rng.pick(PLANS) : null,
      size: rng.int(2, 5000),
      website: `https://www.${slug(fullName)}.example.com`,
      industry: rng.pick(INDUSTRIES),
      monthlySpend: rng.int(0, 400) * 25,
      sessionCount: rng.int(0, 20000),
      createdAt,
      remoteCreatedAt: createdAt - rng.int(0, 400) * 86400,
      updatedAt,
      lastRequestAt: Math.max(updatedAt, this.anchor - rng.int(0, 30) * 86400),
      customAttributes: { region: rng.pick(REGIONS), account_manager: rng.pick(this.directory.humans).name },
      tagIds: rng.chance(0.15) ? [this.directory.tagByName('vip').id] : [],
    };
  }

  private put(company: Company): void {
    this.companies.set(company.id, company);
    this.byIndex[company.index] = company;
  }

  private link(companyIndex: number, contactIndex: number): void {
    const add = <K>(map: Map<K, Set<number>>, key: K, value: number) =>
      map.set(key, (map.get(key) ?? new Set()).add(value));
    add(this.members, companyIndex, contactIndex);
    add(this.memberships, contactIndex, companyIndex);
  }

  private unlink(companyIndex: number, contactIndex: number): void {
    this.members.get(companyIndex)?.delete(contactIndex);
    this.memberships.get(contactIndex)?.delete(companyIndex);
  }

  /** Live companies, oldest first (the index order). */
  live(): Company[] {
    return this.byIndex.filter((c) => this.companies.has(c.id));
  }

  find(id: string): Company | undefined {
    return this.companies.get(id);
  }

  findBy(field: 'companyId' | 'name', value: string): Company | undefined {
    return this.live().find((c) => c[field] === value);
  }

  /** The contacts (by index) who belong to a company, in index order. */
  contactsOf(company: Company): number[] {
    return [...(this.members.get(company.index) ?? [])].sort((a, b) => a - b);
  }

  userCount(company: Company): number {
    return this.members.get(company.index)?.size ?? 0;
  }

  /** The live companies a contact belongs to. */
  companiesOf(contactIndex: number): Company[] {
    return [...(this.memberships.get(contactIndex) ?? [])]
      .sort((a, b) => a - b)
      .map((i) => this.byIndex[i]!)
      .filter((c) => this.companies.has(c.id));
  }

  create(name: string, at: number): Company {
    const company = this.generate(this.byIndex.length, at, name);
    this.put(company);
    this.emit('company.created', company);
    return company;
  }

  change(id: string, change: CompanyChange, at: number): Company | undefined {
    const company = this.companies.get(id);
    if (!company) return undefined;
    if (change.kind === 'attach' || change.kind === 'detach') {
      if (change.kind === 'attach') this.link(company.index, change.contactIndex);
      else this.unlink(company.index, change.contactIndex);
      return company;
    }
    const updated: Company = { ...company, updatedAt: at };
    if (change.kind === 'plan') updated.plan = PLANS.find((p) => p.name === change.plan) ?? null;
    if (change.kind === 'attribute')
      updated.customAttributes = { ...company.customAttributes, [change.name]: change.value };
    if (change.kind === 'tag' && !company.tagIds.includes(change.tagId))
      updated.tagIds = [...company.tagIds, change.tagId];
    this.put(updated);
    this.emit('company.updated', updated);
    return updated;
  }

  delete(id: string): boolean {
    const company = this.companies.get(id);
    if (!company) return false;
    this.companies.delete(id);
    this.emit('company.deleted', company);
    return true;
  }

  private emit(topic: string, company: Company): void {
    for (const l of this.listeners) l(topic, company);
  }
}
