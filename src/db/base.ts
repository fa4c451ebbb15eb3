import { BaseEntity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from './columns.js';

/**
 * Every table has an integer surrogate key and UTC created/updated timestamps. Entities extend BaseEntity because
 * @adminjs/typeorm only recognises classes whose static getRepository() works.
 */
export abstract class Model extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @CreatedAt()
  createdAt: Date;

  @UpdatedAt()
  updatedAt: Date;
}

/** For append-only records (logs, history): no updated_at. */
export abstract class AppendOnlyModel extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @CreatedAt()
  createdAt: Date;
}
