import React from 'react';
import { Box, H4, Text, Table, TableHead, TableBody, TableRow, TableCell, Badge } from '@adminjs/design-system';

const Rows = ({ rows, empty, cols }) => (
  <Table mb="xl">
    <TableHead>
      <TableRow>{cols.map((c) => <TableCell key={c.key}>{c.label}</TableCell>)}</TableRow>
    </TableHead>
    <TableBody>
      {rows.length ? rows.map((r, i) => (
        <TableRow key={i}>{cols.map((c) => <TableCell key={c.key} style={c.right ? { textAlign: 'right' } : undefined}>{r[c.key] ?? '—'}</TableCell>)}</TableRow>
      )) : <TableRow><TableCell colSpan={cols.length}>{empty}</TableCell></TableRow>}
    </TableBody>
  </Table>
);

/** The invoice as staff read it: its lines with periods, the totals, and every payment, refund and notice. */
const InvoiceDetails = (props) => {
  const d = props.record && props.record.params && props.record.params.__details ? JSON.parse(props.record.params.__details) : null;
  if (!d) return <Box p="xl"><Text>Loading…</Text></Box>;
  return (
    <Box variant="white" p="xl">
      <H4>{d.number} <Badge>{d.status}</Badge></H4>
      <Text mb="lg">Issued {d.issueDate}, due {d.dueDate}. Balance due: <b>{d.balance}</b></Text>
      <Rows rows={d.lines} empty="No lines." cols={[{ key: 'description', label: 'Description' }, { key: 'period', label: 'Period' }, { key: 'quantity', label: 'Qty', right: true }, { key: 'amount', label: 'Amount', right: true }]} />
      <Rows rows={d.totals} empty="" cols={[{ key: 'label', label: 'Totals' }, { key: 'value', label: '', right: true }]} />
      <H4>Payments and refunds</H4>
      <Rows rows={d.transactions} empty="No money recorded yet." cols={[{ key: 'date', label: 'Date' }, { key: 'gateway', label: 'Method' }, { key: 'reference', label: 'Reference' }, { key: 'type', label: 'Type' }, { key: 'amount', label: 'Amount', right: true }]} />
      <H4>Notices sent</H4>
      <Rows rows={d.reminders} empty="None yet." cols={[{ key: 'kind', label: 'Notice' }, { key: 'sentAt', label: 'Sent' }]} />
    </Box>
  );
};

export default InvoiceDetails;
