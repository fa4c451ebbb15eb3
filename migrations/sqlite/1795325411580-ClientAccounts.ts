import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand for sqlite; keep in step with migrations/mysql/1795325411580-ClientAccounts.ts.
 * user_tokens is created once with its foreign key (TypeORM created it, then rebuilt it to add the key).
 * client_contacts gets user_id with a named foreign key and a unique constraint, which ALTER TABLE ADD COLUMN cannot
 * express in the form TypeORM reads back, so the table is rebuilt — once each way, always by creating the new table
 * under the temporary name and renaming it over the old one. That is safe here because no table references
 * client_contacts (the rename trap of PromotionEndsAfterRenewals is about children's foreign keys).
 */
export class ClientAccounts1795325411580 implements MigrationInterface {
  name = 'ClientAccounts1795325411580';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "user_tokens" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "user_id" integer NOT NULL, "purpose" varchar(32) NOT NULL, "token_hash" varchar(64) NOT NULL, "expires_at" datetime NOT NULL, "used_at" datetime, "new_email" varchar(255), CONSTRAINT "UQ_ebdd918653813b59cdd5d379b5b" UNIQUE ("token_hash"), CONSTRAINT "FK_9e144a67be49e5bba91195ef5de" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`CREATE INDEX "IDX_50218f795cc3de6725115f8bf3" ON "user_tokens" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_a8be5140968bf3c3a786d44ee0" ON "user_tokens" ("user_id", "purpose") `);
    await queryRunner.query(`DROP INDEX "IDX_8fab1b66b48db678e6602d3517"`);
    await queryRunner.query(`DROP INDEX "IDX_ef47f3aae4b36f0aaedbfc0416"`);
    await queryRunner.query(`CREATE TABLE "temporary_client_contacts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "client_id" integer NOT NULL, "contact_type" varchar(32) NOT NULL DEFAULT ('general'), "first_name" varchar(100) NOT NULL, "last_name" varchar(100) NOT NULL, "company_name" varchar(255), "email" varchar(255) NOT NULL, "phone" varchar(32), "address1" varchar(255), "address2" varchar(255), "city" varchar(100), "state" varchar(100), "postcode" varchar(20), "country" varchar(2), "general_emails" boolean NOT NULL DEFAULT (0), "invoice_emails" boolean NOT NULL DEFAULT (0), "product_emails" boolean NOT NULL DEFAULT (0), "domain_emails" boolean NOT NULL DEFAULT (0), "support_emails" boolean NOT NULL DEFAULT (0), "user_id" integer, "permissions" text, CONSTRAINT "UQ_ff3f9189732a8fbfe8786c0a161" UNIQUE ("user_id"), CONSTRAINT "FK_ef47f3aae4b36f0aaedbfc04161" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_d8fb547e1c83b2f5f50cd19d563" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_client_contacts"("id", "created_at", "updated_at", "client_id", "contact_type", "first_name", "last_name", "company_name", "email", "phone", "address1", "address2", "city", "state", "postcode", "country", "general_emails", "invoice_emails", "product_emails", "domain_emails", "support_emails") SELECT "id", "created_at", "updated_at", "client_id", "contact_type", "first_name", "last_name", "company_name", "email", "phone", "address1", "address2", "city", "state", "postcode", "country", "general_emails", "invoice_emails", "product_emails", "domain_emails", "support_emails" FROM "client_contacts"`);
    await queryRunner.query(`DROP TABLE "client_contacts"`);
    await queryRunner.query(`ALTER TABLE "temporary_client_contacts" RENAME TO "client_contacts"`);
    await queryRunner.query(`CREATE INDEX "IDX_8fab1b66b48db678e6602d3517" ON "client_contacts" ("email") `);
    await queryRunner.query(`CREATE INDEX "IDX_ef47f3aae4b36f0aaedbfc0416" ON "client_contacts" ("client_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_8fab1b66b48db678e6602d3517"`);
    await queryRunner.query(`DROP INDEX "IDX_ef47f3aae4b36f0aaedbfc0416"`);
    await queryRunner.query(`CREATE TABLE "temporary_client_contacts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')), "client_id" integer NOT NULL, "contact_type" varchar(32) NOT NULL DEFAULT ('general'), "first_name" varchar(100) NOT NULL, "last_name" varchar(100) NOT NULL, "company_name" varchar(255), "email" varchar(255) NOT NULL, "phone" varchar(32), "address1" varchar(255), "address2" varchar(255), "city" varchar(100), "state" varchar(100), "postcode" varchar(20), "country" varchar(2), "general_emails" boolean NOT NULL DEFAULT (0), "invoice_emails" boolean NOT NULL DEFAULT (0), "product_emails" boolean NOT NULL DEFAULT (0), "domain_emails" boolean NOT NULL DEFAULT (0), "support_emails" boolean NOT NULL DEFAULT (0), CONSTRAINT "FK_ef47f3aae4b36f0aaedbfc04161" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_client_contacts"("id", "created_at", "updated_at", "client_id", "contact_type", "first_name", "last_name", "company_name", "email", "phone", "address1", "address2", "city", "state", "postcode", "country", "general_emails", "invoice_emails", "product_emails", "domain_emails", "support_emails") SELECT "id", "created_at", "updated_at", "client_id", "contact_type", "first_name", "last_name", "company_name", "email", "phone", "address1", "address2", "city", "state", "postcode", "country", "general_emails", "invoice_emails", "product_emails", "domain_emails", "support_emails" FROM "client_contacts"`);
    await queryRunner.query(`DROP TABLE "client_contacts"`);
    await queryRunner.query(`ALTER TABLE "temporary_client_contacts" RENAME TO "client_contacts"`);
    await queryRunner.query(`CREATE INDEX "IDX_8fab1b66b48db678e6602d3517" ON "client_contacts" ("email") `);
    await queryRunner.query(`CREATE INDEX "IDX_ef47f3aae4b36f0aaedbfc0416" ON "client_contacts" ("client_id") `);
    await queryRunner.query(`DROP INDEX "IDX_a8be5140968bf3c3a786d44ee0"`);
    await queryRunner.query(`DROP INDEX "IDX_50218f795cc3de6725115f8bf3"`);
    await queryRunner.query(`DROP TABLE "user_tokens"`);
  }
}
