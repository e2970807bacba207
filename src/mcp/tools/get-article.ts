/** get_article: one Help Center article as text, in its default locale or a translation. */
import { z } from 'zod';
import type { ArticleView } from '../../store/types.js';
import { quote } from '../../wording.js';
import { cutToFit, type Budget } from '../budget.js';
import { answering, type Answering } from '../deps.js';
import { fenceArticle } from '../fence.js';
import type { Freshness } from '../freshness.js';
import { MAX_ID_CHARS } from '../ids.js';
import { freshnessShape, idText, teamShape, time, type Out } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import { parseArticleId } from '../ids.js';
import { ARTICLE_NOTE, HELP_CENTER } from './articles.js';
import { THREAD_BUDGET } from './get-conversation.js';
import { polledState, refuseUnread } from '../polled-kind.js';
import { defineTool, READ_ONLY } from './tool.js';

const articleShape = {
  id: z.string(),
  title: z.string(),
  state: z.string().describe('published or draft'),
  url: z.string().optional(),
  collection: teamShape.optional(),
  author: z.string().optional(),
  locale: z.string(),
  locales: z.array(z.string()).describe('Every translation'),
  created_at: time,
  updated_at: time,
  description: z.string().optional(),
  body: z.string(),
  cut: z.boolean().describe('The body was shortened'),
  freshness: freshnessShape,
};

export interface ArticleAnswer {
  text: string;
  structured: Out<z.ZodObject<typeof articleShape>>;
}

/** The article in one locale, its body cut to the budget (get_article and fetch alike). */
export function articleView(
  article: ArticleView,
  a: Answering,
  options: { locale?: string | undefined; budget: Budget; freshness: Freshness },
): ArticleAnswer {
  const content = options.locale
    ? article.contents.find((c) => c.locale.toLowerCase() === options.locale!.toLowerCase())
    : article.contents[0];
  if (!content)
    throw new ToolInputError(
      `Article ${article.id} has no ${quote(options.locale ?? '')} translation; it has ${article.contents.map((c) => c.locale).join(', ')}`,
    );
  const head = [
    `Article ${article.id} [${content.state}] in ${content.locale}${article.collection ? `, collection ${article.collection.name ?? article.collection.id}` : ''}, updated ${a.clock(content.updatedAt)}${article.author?.name ? ` by ${article.author.name}` : ''}. ${options.freshness.note}`,
    article.contents.length > 1 ? `Translations: ${article.contents.map((c) => c.locale).join(', ')}.` : '',
    `${fenceArticle(content.title)}${content.url ? ` ${content.url}` : ''}`,
    content.description ? fenceArticle(content.description) : '',
  ]
    .filter(Boolean)
    .join('\n');
  const opening = `${head}\n\n`;
  const full = opening + fenceArticle(content.body);
  // The fence closes after the cut; defusing keeps lengths, so the body's share is exact.
  const tail = '</article_text>\n… (the body is cut here to fit the answer; max_chars reads more)';
  const text = cutToFit(full, tail, options.budget);
  const cut = text !== full;
  const bodyStart = opening.length + '<article_text>'.length;
  const body = cut ? content.body.slice(0, Math.max(0, text.length - tail.length - bodyStart)) : content.body;
  return {
    text,
    structured: {
      id: article.id,
      title: content.title,
      state: content.state,
      url: content.url ?? article.url,
      collection: article.collection,
      author: article.author ? (article.author.name ?? article.author.id) : null,
      locale: content.locale,
      locales: article.contents.map((c) => c.locale),
      created_at: a.clock(article.createdAt),
      updated_at: a.clock(content.updatedAt),
      description: content.description,
      body,
      cut,
      freshness: options.freshness,
    },
  };
}

export const getArticle = defineTool({
  name: 'get_article',
  title: 'Get a Help Center article',
  description: `One Help Center article's text, in its default language or a translation, at most ${THREAD_BUDGET.max} tokens by default. ${ARTICLE_NOTE}`,
  input: {
    article_id: idText(MAX_ID_CHARS).describe('1234, article_1234 or its Help Center URL'),
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a locale such as fr or pt-BR')
      .optional()
      .describe('A translation, e.g. fr'),
    max_chars: z.number().int().min(500).max(400_000).optional().describe('At most this many characters'),
  },
  output: articleShape,
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const id = parseArticleId(args.article_id);
    const a = await answering(deps);
    const help = await polledState(deps, a, HELP_CENTER);
    const article = await deps.store.getArticle(id);
    if (!article) {
      refuseUnread(help, `No article ${id}`);
      throw new ToolInputError(
        `No article ${id} in the local copy of the Help Center (search_articles finds them by words).`,
      );
    }
    return articleView(article, a, {
      locale: args.locale,
      freshness: help.freshness,
      budget: args.max_chars !== undefined ? { unit: 'chars', max: args.max_chars } : THREAD_BUDGET,
    });
  },
});
