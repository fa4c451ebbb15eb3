import { Brackets, type DataSource } from 'typeorm';
import type { Announcement } from '../../entities/system/announcement.entity.js';
import type { KnowledgeBaseArticle } from '../../entities/system/knowledge-base-article.entity.js';
import type { KnowledgeBaseCategory } from '../../entities/system/knowledge-base-category.entity.js';
import type { NetworkIssue, NetworkIssueStatus } from '../../entities/support/network-issue.entity.js';
import type { Clock } from '../shared/clock.js';
import { htmlToBlocks, plainText, type Block } from './rich-text.js';

/**
 * A LIKE pattern that matches `text` literally anywhere: the wildcards % and _ a visitor types are escaped.
 * '!' is the escape character because a backslash means different things in MariaDB and SQLite string literals.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export interface ArticleSummary {
  id: number;
  title: string;
  slug: string;
  excerpt: string;
}

/** Turns the number of rows into the LIMIT/OFFSET of the page asked for. */
export type Paginate = (total: number) => { limit: number; offset: number };

const summary = (a: KnowledgeBaseArticle): ArticleSummary => ({ id: a.id, title: a.title, slug: a.slug, excerpt: plainText(a.body, 200) });

/** What the public sees of the news, the knowledge base and the network status: only what staff published. */
export class PublicContent {
  constructor(private readonly deps: { ds: DataSource; clock: Clock }) {}

  /** Published announcements whose date has come (a future date keeps one hidden until then), newest first. */
  private announcementQuery() {
    return this.deps.ds
      .getRepository<Announcement>('Announcement')
      .createQueryBuilder('a')
      .where('a.published = :yes', { yes: true })
      .andWhere(new Brackets((w) => w.where('a.publishedAt IS NULL').orWhere('a.publishedAt <= :now', { now: this.deps.clock.now() })));
  }

  async announcements(paginate: Paginate): Promise<Array<{ id: number; title: string; date: Date; excerpt: string }>> {
    const qb = this.announcementQuery();
    const page = paginate(await qb.getCount());
    const rows = await qb.orderBy('a.publishedAt', 'DESC').addOrderBy('a.id', 'DESC').limit(page.limit).offset(page.offset).getMany();
    return rows.map((a) => ({ id: a.id, title: a.title, date: a.publishedAt ?? a.createdAt, excerpt: plainText(a.body) }));
  }

  async announcement(id: number): Promise<{ id: number; title: string; date: Date; blocks: Block[] } | null> {
    const a = await this.announcementQuery().andWhere('a.id = :id', { id }).getOne();
    return a ? { id: a.id, title: a.title, date: a.publishedAt ?? a.createdAt, blocks: htmlToBlocks(a.body) } : null;
  }

  /** The listed categories, each with its published articles. */
  async knowledgeBase(): Promise<Array<{ id: number; name: string; description: string | null; articles: ArticleSummary[] }>> {
    const { ds } = this.deps;
    const categories = await ds.getRepository<KnowledgeBaseCategory>('KnowledgeBaseCategory').find({ where: { hidden: false }, order: { sortOrder: 'ASC', name: 'ASC' } });
    if (!categories.length) return [];
    const articles = await ds.getRepository<KnowledgeBaseArticle>('KnowledgeBaseArticle').find({ where: { published: true }, order: { views: 'DESC', title: 'ASC' } });
    return categories
      .map((c) => ({ id: c.id, name: c.name, description: c.description, articles: articles.filter((a) => a.categoryId === c.id).map(summary) }))
      .filter((c) => c.articles.length);
  }

  /** Published articles of listed categories whose title or body contains the words typed, literally. */
  async searchArticles(q: string, paginate: Paginate): Promise<{ total: number; rows: ArticleSummary[] }> {
    const pattern = containsPattern(q);
    const qb = this.deps.ds
      .getRepository<KnowledgeBaseArticle>('KnowledgeBaseArticle')
      .createQueryBuilder('a')
      .innerJoin('a.category', 'c')
      .where('a.published = :yes AND c.hidden = :no', { yes: true, no: false })
      .andWhere(new Brackets((w) => w.where("a.title LIKE :pattern ESCAPE '!'", { pattern }).orWhere("a.body LIKE :pattern ESCAPE '!'", { pattern })));
    const total = await qb.getCount();
    const page = paginate(total);
    const rows = await qb.orderBy('a.views', 'DESC').addOrderBy('a.id', 'ASC').limit(page.limit).offset(page.offset).getMany();
    return { total, rows: rows.map(summary) };
  }

  /** A published article, counting the view. Articles of hidden categories are reachable by their link only. */
  async article(slug: string): Promise<{ id: number; title: string; category: { id: number; name: string } | null; updatedAt: Date; blocks: Block[] } | null> {
    if (!slug || slug.length > 191) return null;
    const repo = this.deps.ds.getRepository<KnowledgeBaseArticle>('KnowledgeBaseArticle');
    const a = await repo.findOne({ where: { slug, published: true }, relations: { category: true } });
    if (!a) return null;
    // Counted in SQL so simultaneous readers all count; updated_at is kept as the article's last edit.
    await repo.createQueryBuilder().update().set({ views: () => 'views + 1', updatedAt: () => 'updated_at' }).where('id = :id', { id: a.id }).execute();
    const category = a.category && !a.category.hidden ? { id: a.category.id, name: a.category.name } : null;
    return { id: a.id, title: a.title, category, updatedAt: a.updatedAt, blocks: htmlToBlocks(a.body) };
  }

  /** Issues in three groups — happening now, planned, resolved (the latest 20) — each newest first. */
  async networkIssues(): Promise<Record<'current' | 'scheduled' | 'resolved', Array<{ id: number; title: string; description: string | null; status: NetworkIssueStatus; priority: string; affects: string; startAt: Date | null; endAt: Date | null }>>> {
    const repo = this.deps.ds.getRepository<NetworkIssue>('NetworkIssue');
    const query = (statuses: NetworkIssueStatus[], limit?: number) =>
      repo
        .createQueryBuilder('n')
        .leftJoinAndSelect('n.server', 's')
        .where('n.status IN (:...statuses)', { statuses })
        .orderBy('n.startAt', 'DESC')
        .addOrderBy('n.id', 'DESC')
        .limit(limit)
        .getMany();
    const view = (n: NetworkIssue) => ({
      id: n.id,
      title: n.title,
      description: n.description,
      status: n.status,
      priority: n.priority,
      // The server's name, never its address: the page is public.
      affects: n.type === 'server' ? (n.server?.name ?? 'A server') : (n.affectedSystem ?? 'Other systems'),
      startAt: n.startAt,
      endAt: n.endAt,
    });
    const [current, scheduled, resolved] = await Promise.all([query(['reported', 'investigating', 'in_progress', 'outage']), query(['scheduled']), query(['resolved'], 20)]);
    return { current: current.map(view), scheduled: scheduled.map(view), resolved: resolved.map(view) };
  }
}
