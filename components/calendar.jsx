import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, Button, H3, Text } from '@adminjs/design-system';

/**
 * The staff calendar: a month of calendar events, to-dos by due date and domain expiries, each linking to its
 * record. Data comes from the page handler (src/admin/calendar-page.ts) by month.
 */
const KIND = {
  event: { resource: 'CalendarEvent', color: '#3040d6', label: 'Event' },
  todo: { resource: 'TodoItem', color: '#b35c00', label: 'To-do' },
  domain: { resource: 'Domain', color: '#1d6b3f', label: 'Domain' },
};
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const Calendar = () => {
  const [data, setData] = useState(null);
  const [month, setMonth] = useState('');
  const api = new ApiClient();
  useEffect(() => {
    api.getPage({ pageName: 'Calendar', params: month ? { month } : {} }).then((res) => setData(res.data));
  }, [month]);
  if (!data) return <Box p="xl"><Text>Loading…</Text></Box>;
  const inMonth = (d) => d.startsWith(data.month);
  const on = (day) => data.entries.filter((e) => e.from <= day && e.to >= day);
  const link = (e) => `${window.location.pathname.replace(/\/pages\/.*$/, '')}/resources/${KIND[e.kind].resource}/records/${e.id}/show`;
  return (
    <Box variant="white" p="xl">
      <Box flex flexDirection="row" alignItems="center" mb="lg">
        <Button size="sm" mr="md" onClick={() => setMonth(data.previous)}>‹ {data.previous}</Button>
        <H3 mb="0" mr="md">{data.month}</H3>
        <Button size="sm" onClick={() => setMonth(data.next)}>{data.next} ›</Button>
      </Box>
      <table style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' }}>
        <thead>
          <tr>{WEEKDAYS.map((d) => <th key={d} style={{ textAlign: 'left', padding: 4, fontSize: 12 }}>{d}</th>)}</tr>
        </thead>
        <tbody>
          {data.weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((day) => (
                <td key={day} style={{ verticalAlign: 'top', height: 96, border: '1px solid #e3e6ee', padding: 4, background: inMonth(day) ? '#fff' : '#f6f7fa' }}>
                  <div style={{ fontSize: 12, color: '#6b7280' }}>{Number(day.slice(8))}</div>
                  {on(day).map((e) => (
                    <a key={`${e.kind}${e.id}`} href={link(e)} title={`${KIND[e.kind].label}: ${e.title}`}
                      style={{ display: 'block', fontSize: 12, color: '#fff', background: e.color || KIND[e.kind].color, borderRadius: 4, padding: '1px 4px', marginTop: 2, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', textDecoration: 'none' }}>
                      {e.time ? `${e.time} ` : ''}{e.title}
                    </a>
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Text mt="md" variant="sm">Events you own and shared ones, open to-dos by due date, domains by expiry date.</Text>
    </Box>
  );
};

export default Calendar;
