import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * SELECT … FOR UPDATE where the engine has row locks (MariaDB/MySQL, inside a transaction). On SQLite the whole
 * transaction already runs alone (see sqlite-serial.ts), so the query is left as it is.
 */
export function forUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return qb.connection.driver.options.type === 'better-sqlite3' ? qb : qb.setLock('pessimistic_write');
}
