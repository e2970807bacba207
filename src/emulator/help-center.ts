/**
 * The emulated Help Center: a collection per support topic of the corpus and articles in them,
 * generated from the seed, published or draft, some translated. A Help Center holds hundreds of
 * articles, not millions, so they are kept whole and changed in place by the control API.
 */
import { fillTemplate, toHtmlBody, toLength, TOPICS } from './corpus.js';
import type { Directory } from './directory.js';
import { Rng } from './prng.js';

export type ArticleState = 'published' | 'draft';

/** One locale's version of an article: what the API's `article_content` carries. */
export interface ArticleContent {
  title: string;
  description: string;
  /** HTML, as Intercom stores it. */
  body: string;
  state: ArticleState;
  authorId: number;
  createdAt: number;
  updatedAt: number;
}

export interface HelpArticle extends ArticleContent {
  id: string;
  /** The collection it sits in; an article may also stand alone (none). */
  parentIds: number[];
  /** Other locales than the default (`en`), for multilingual help centers. */
  translations: Record<string, ArticleContent>;
}

export interface HelpCollection {
  id: string;
  name: string;
  description: string;
  order: number;
  createdAt: number;
  updatedAt: number;
}

/** What the control API may change of an article: each change bumps its `updated_at`. */
export interface ArticleEdit {
  title?: string;
  body?: string;
  state?: ArticleState;
  /** A translation added or rewritten, in this locale. */
  translate?: { locale: string; title: string; body: string };
}

export const HELP_CENTER_ID = 1;
const TRANSLATED_LOCALES = ['fr', 'de'];
const TITLE_FORMS = [
  (s: string) => s,
  (s: string) => `How to fix: ${s.toLowerCase()}`,
  (s: string) => `${s}: what to check first`,
  (s: string) => `FAQ: ${s.toLowerCase()}`,
];

export class HelpCenter {
  readonly collections: HelpCollection[];
  private readonly articles = new Map<string, HelpArticle>();

  constructor(seed: string, count: number, anchor: number, days: number, directory: Directory) {
    const rng = new Rng(seed, 'help-center');
    const opened = anchor - Math.max(days, 30) * 86400;
    this.collections = TOPICS.map((topic, i) => ({
      id: String(9000 + i),
      name: topic.key.charAt(0).toUpperCase() + topic.key.slice(1),
      description: `Answers about ${topic.key}`,
      order: i,
      createdAt: opened,
      updatedAt: opened,
    }));
    const authors = directory.humans.map((a) => Number(a.id));
    for (let i = 0; i < count; i++) {
      const topicIndex = i % TOPICS.length;
      const topic = TOPICS[topicIndex]!;
      const createdAt = opened + rng.int(0, anchor - opened - 3600);
      const updatedAt = rng.chance(0.4) ? rng.int(createdAt, anchor - 60) : createdAt;
      const subject = rng.pick(topic.subjects);
      const paragraphs = [
        toLength(rng, fillTemplate(rng, rng.pick(topic.replies), 'help@example.com'), 'teammate'),
        fillTemplate(rng, rng.pick(topic.replies), 'help@example.com'),
      ];
      const content: ArticleContent = {
        title: `${rng.pick(TITLE_FORMS)(subject)} (${i + 1})`,
        description: `What to do about ${subject.toLowerCase()}`,
        body: paragraphs.map(toHtmlBody).join(''),
        state: rng.chance(0.15) ? 'draft' : 'published',
        authorId: rng.pick(authors),
        createdAt,
        updatedAt,
      };
      const translations: Record<string, ArticleContent> = {};
      if (rng.chance(0.2)) {
        const locale = rng.pick(TRANSLATED_LOCALES);
        translations[locale] = {
          ...content,
          title: `[${locale}] ${content.title}`,
          body: toHtmlBody(`(${locale}) ${paragraphs[0]!}`),
        };
      }
      const id = String(100000 + i);
      const parentIds = rng.chance(0.9) ? [Number(this.collections[topicIndex]!.id)] : [];
      this.articles.set(id, { id, ...content, parentIds, translations });
    }
  }

  /** Every article in every state, the most recently updated first, as `GET /articles` lists them. */
  list(): HelpArticle[] {
    return [...this.articles.values()].sort(
      (a, b) => b.updatedAt - a.updatedAt || Number(b.id) - Number(a.id),
    );
  }

  get(id: string): HelpArticle | undefined {
    return this.articles.get(id);
  }

  /** Changes an article at `at`; undefined when there is no such article. */
  edit(id: string, change: ArticleEdit, at: number): HelpArticle | undefined {
    const article = this.articles.get(id);
    if (!article) return undefined;
    const translations = { ...article.translations };
    if (change.translate)
      translations[change.translate.locale] = {
        ...article,
        title: change.translate.title,
        body: change.translate.body,
        createdAt: translations[change.translate.locale]?.createdAt ?? at,
        updatedAt: at,
      };
    const updated: HelpArticle = {
      ...article,
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.body !== undefined ? { body: change.body } : {}),
      ...(change.state !== undefined ? { state: change.state } : {}),
      translations,
      updatedAt: at,
    };
    this.articles.set(id, updated);
    return updated;
  }

  /** A deleted article answers 404 from then on, and leaves every list. */
  remove(id: string): boolean {
    return this.articles.delete(id);
  }
}
