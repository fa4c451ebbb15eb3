import { Entity, OneToMany, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Status, Text, Varchar } from '../../db/columns.js';
import type { Server } from './server.entity.js';

export const SERVER_FILL_METHODS = ['least_used', 'round_robin', 'fill_first'] as const;
export type ServerFillMethod = (typeof SERVER_FILL_METHODS)[number];

/**
 * A pool of servers a product provisions into (seed 003 Server Groups). Round robin needs no cursor column: it picks
 * the active server whose newest service is oldest, which the services table already answers.
 */
@Entity('server_groups')
export class ServerGroup extends Model {
  @Varchar(100, { unique: true })
  name: string;

  @Status(SERVER_FILL_METHODS, 'least_used')
  fillMethod: ServerFillMethod;

  @Text()
  description: string | null;

  /** Read when choosing a server for a new account. */
  @OneToMany('Server', (server: Server) => server.serverGroup)
  servers: Relation<Server[]>;
}
