import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Page, PageQueryDto, DEFAULT_PAGE_SIZE, decodeCursor, toPage } from '../common/http/pagination';
import { Tx, UnitOfWork } from '../database/unit-of-work.service';
import { Actor } from './actor';
import { AuditEventEntity } from './audit-event.entity';
import { AuditRepository } from './audit.repository';
import { canonicalJson } from './canonical-json';

export const PLATFORM_CHAIN = 'platform';
const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  organizationId: string | null;
  actor: Actor;
  /** dotted verb, e.g. `holder.created`, `device.transition` */
  action: string;
  entity: string;
  entityId: string | null;
  /** What changed. No secrets, passwords, tokens or private keys: callers pass only safe fields. */
  data?: Record<string, unknown>;
}

export interface AuditVerification {
  valid: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  headHash: string | null;
}

export interface AuditEventView {
  seq: number;
  at: string;
  actor: { type: string; id: string | null; label: string };
  action: string;
  entity: string;
  entityId: string | null;
  data: unknown;
  hash: string;
}

/** An entry waiting for its transaction's commit, its data already in canonical JSON. */
type QueuedEntry = Omit<AuditEntry, 'data'> & { data: string };

/** The hashed body of a row: every stored field but the hash itself. */
function hashOf(row: Omit<AuditEventEntity, 'hash'>): string {
  const body = canonicalJson({
    chain: row.chain,
    seq: row.seq,
    at: row.at,
    organizationId: row.organizationId,
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    data: row.data,
  });
  return createHash('sha256').update(row.prevHash).update(body).digest('hex');
}

@Injectable()
export class AuditService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: AuditRepository,
  ) {}

  /** Entries of open transactions, written just before each one commits. */
  private readonly pending = new WeakMap<Tx, QueuedEntry[]>();

  /**
   * Records one row in the caller's transaction, so the change and its record commit together or
   * not at all. The row is written as the transaction's last statements (Tx.beforeCommit): the
   * chain head (a row lock on PostgreSQL) is then taken after every other lock the transaction
   * holds, always in the same order, and held only for the commit's last moments. Taken first, it
   * deadlocked against a transaction that locked a row and then appended (issue 9, a task confirmed
   * with its evidence file while the task's reminders were being delivered).
   */
  async append(tx: Tx, entry: AuditEntry): Promise<void> {
    await this.appendMany(tx, [entry]);
  }

  /**
   * Records rows in the given order, as `append` one after another would; at commit each chain gets
   * one head lock, one multi-row insert and one head update (a bulk import records 1,000 rows at once).
   */
  async appendMany(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
    let queue = this.pending.get(tx);
    if (!queue) {
      const created: QueuedEntry[] = [];
      tx.beforeCommit(() => this.write(tx, created)); // throws on a transaction that has ended
      this.pending.set(tx, created);
      queue = created;
    }
    // Serialized now: a caller that changes its object after appending does not change the record.
    for (const entry of entries) queue.push({ ...entry, data: canonicalJson(entry.data ?? {}) });
  }

  private async write(tx: Tx, entries: QueuedEntry[]): Promise<void> {
    this.pending.delete(tx);
    const byChain = new Map<string, QueuedEntry[]>();
    for (const entry of entries) {
      const chain = entry.organizationId ?? PLATFORM_CHAIN;
      byChain.set(chain, [...(byChain.get(chain) ?? []), entry]);
    }
    // Heads in one order: two transactions that touch the same two chains never wait on each other in a cycle.
    for (const chain of [...byChain.keys()].sort()) {
      const head = await this.repository.lockHead(tx.em, chain);
      let seq = head?.seq ?? 0;
      let prevHash = head?.hash ?? GENESIS;
      const at = new Date();
      const rows: AuditEventEntity[] = [];
      for (const entry of byChain.get(chain)!) {
        const row: Omit<AuditEventEntity, 'hash'> = {
          chain,
          seq: ++seq,
          // Millisecond precision is what both databases keep; hash what will be read back.
          at,
          organizationId: entry.organizationId,
          actorType: entry.actor.type,
          actorId: entry.actor.id,
          actorLabel: entry.actor.label,
          action: entry.action,
          entity: entry.entity,
          entityId: entry.entityId,
          data: entry.data,
          prevHash,
        };
        prevHash = hashOf(row);
        rows.push({ ...row, hash: prevHash });
      }
      await this.repository.insertEvents(tx.em, rows);
      await this.repository.saveHead(tx.em, { chain, seq, hash: prevHash }, head === null);
    }
  }

  async list(
    organizationId: string,
    query: PageQueryDto & { entity?: string; entityId?: string; action?: string },
  ): Promise<Page<AuditEventView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const rows = await this.uow.read((em) =>
      this.repository.findPage(em, organizationId, { ...query, beforeSeq: cursor ? Number(cursor.k) : null, limit: limit + 1 }),
    );
    return toPage(rows, limit, (r) => ({ k: r.seq, id: String(r.seq) }), mapAuditEvent);
  }

  /** Recomputes the chain from the start and names the first row whose hash or link is wrong. */
  async verify(organizationId: string | null): Promise<AuditVerification> {
    const chain = organizationId ?? PLATFORM_CHAIN;
    return this.uow.read(async (em) => {
      let prevHash = GENESIS;
      let expectedSeq = 1;
      let checked = 0;
      for await (const batch of this.repository.streamChain(em, chain, 1000)) {
        for (const row of batch) {
          checked += 1;
          if (row.seq !== expectedSeq || row.prevHash !== prevHash || hashOf(row) !== row.hash) {
            return { valid: false, checked, firstBrokenSeq: Math.min(row.seq, expectedSeq), headHash: null };
          }
          prevHash = row.hash;
          expectedSeq += 1;
        }
      }
      const head = await this.repository.findHead(em, chain);
      if ((head?.seq ?? 0) !== expectedSeq - 1 || (head?.hash ?? GENESIS) !== prevHash) {
        // Rows were deleted from the end, or the head was edited.
        return { valid: false, checked, firstBrokenSeq: expectedSeq, headHash: null };
      }
      return { valid: true, checked, firstBrokenSeq: null, headHash: checked ? prevHash : null };
    });
  }

  /** Lists the chains present (used by `audit:verify --all`). */
  chains(): Promise<string[]> {
    return this.uow.read((em) => this.repository.listChains(em));
  }
}

export function mapAuditEvent(row: AuditEventEntity): AuditEventView {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    data: JSON.parse(row.data) as unknown,
    hash: row.hash,
  };
}
