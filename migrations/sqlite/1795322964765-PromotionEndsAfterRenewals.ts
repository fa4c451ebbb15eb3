import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand for sqlite; keep in step with migrations/mysql/1795322964765-PromotionEndsAfterRenewals.ts.
 * TypeORM's generated version rebuilt services and client_addons through temporary tables, and SQLite rewrote the
 * foreign keys of invoice_items and the other children to point at the temporary table, which down() then dropped.
 * Adding nullable columns needs no rebuild, and SQLite ≥ 3.35 drops columns in place.
 */
export class PromotionEndsAfterRenewals1795322964765 implements MigrationInterface {
  name = 'PromotionEndsAfterRenewals1795322964765';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['services', 'client_addons']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "regular_amount" bigint`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "promotion_ends_on" date`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['client_addons', 'services']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "promotion_ends_on"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "regular_amount"`);
    }
  }
}
