import { CalendarEvent } from '../../src/entities/system/calendar-event.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const calendarEventResource = defineResource(CalendarEvent, {
  navigation: NAV.utilities,
  sort: { sortBy: 'startAt', direction: 'desc' },
  listProperties: ['title', 'startAt', 'endAt', 'allDay', 'userId', 'color'],
  filterProperties: ['title', 'startAt', 'endAt', 'allDay', 'userId'],
  showProperties: ['title', 'description', 'startAt', 'endAt', 'allDay', 'userId', 'color', 'createdAt', 'updatedAt'],
  editProperties: ['title', 'description', 'startAt', 'endAt', 'allDay', 'userId', 'color'],
  properties: {
    title: { isTitle: true },
    description: { type: 'textarea' },
    userId: { description: 'Leave empty to share the event with all staff.' },
  },
});
