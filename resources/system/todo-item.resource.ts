import { TODO_PRIORITIES, TODO_STATUSES, TodoItem } from '../../src/entities/system/todo-item.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const todoItemResource = defineResource(TodoItem, {
  navigation: NAV.utilities,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['title', 'assignedToId', 'priority', 'status', 'dueDate', 'createdAt'],
  filterProperties: ['title', 'assignedToId', 'priority', 'status', 'dueDate'],
  showProperties: ['title', 'description', 'assignedToId', 'priority', 'status', 'dueDate', 'completedAt', 'createdAt', 'updatedAt'],
  editProperties: ['title', 'description', 'assignedToId', 'priority', 'status', 'dueDate'],
  properties: {
    title: { isTitle: true },
    description: { type: 'textarea' },
    priority: { availableValues: TODO_PRIORITIES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: TODO_STATUSES.map((v) => ({ value: v, label: v })) },
    dueDate: { type: 'date' },
  },
});
