import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { DateOnly, Int, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';

export const TODO_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TodoPriority = (typeof TODO_PRIORITIES)[number];

export const TODO_STATUSES = ['pending', 'in_progress', 'completed'] as const;
export type TodoStatus = (typeof TODO_STATUSES)[number];

/** A staff to-do (seed 000 `todo_list`). */
@Entity('todo_list')
@Index(['status', 'dueDate'])
export class TodoItem extends Model {
  @Varchar(255)
  title: string;

  @Text()
  description: string | null;

  @Int({ nullable: true })
  @Index()
  assignedToId: number | null;

  // The task stays on the list, unassigned, when its assignee leaves.
  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assigned_to_id' })
  assignedTo: Relation<User> | null;

  @Status(TODO_PRIORITIES, 'medium')
  priority: TodoPriority;

  @DateOnly()
  dueDate: string | null;

  @Status(TODO_STATUSES, 'pending')
  status: TodoStatus;

  @Timestamp()
  completedAt: Date | null;
}
