import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, H2, H5, Text, MessageBox, Table, TableHead, TableBody, TableRow, TableCell } from '@adminjs/design-system';

const money = (cents) => {
  const neg = cents < 0;
  const s = String(Math.abs(cents)).padStart(3, '0');
  const whole = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${whole}.${s.slice(-2)}`;
};

const Card = ({ title, value, note }) => (
  <Box variant="white" p="lg" mr="lg" mb="lg" style={{ minWidth: 200 }}>
    <H5>{title}</H5>
    <H2>{value}</H2>
    {note ? <Text variant="sm">{note}</Text> : null}
  </Box>
);

/** Staff dashboard: scheduled-task health first (a missed daily billing run costs money), then what needs attention. */
const Dashboard = () => {
  const [data, setData] = useState(null);
  useEffect(() => {
    new ApiClient().getDashboard().then((res) => setData(res.data));
  }, []);
  if (!data) return <Box p="xl"><Text>Loading…</Text></Box>;
  return (
    <Box p="xl">
      {data.billingNeverRun ? (
        <MessageBox mb="xl" variant="info" message="The daily billing run has not run yet on this installation. The scheduler starts it every day at the hour set in billing.dailyRunHour; Invoices → Billing preview shows what it will do." />
      ) : data.billingStale ? (
        <MessageBox mb="xl" variant="danger" message="The daily billing run has not completed in the last 26 hours. Renewal invoices, reminders and overdue suspensions are waiting: check the scheduler and the task runs." />
      ) : null}
      {data.flaggedPayments ? (
        <MessageBox mb="xl" variant="danger" message={`${data.flaggedPayments} payment notification(s) need a person (amount or currency not as asked, payment for a closed invoice, refund made at the provider): Reporting → Gateway logs, filter Result = flagged.`} />
      ) : null}
      {data.provisioning && data.provisioning.failed ? (
        <MessageBox mb="xl" variant="danger" message={`${data.provisioning.failed} provisioning job(s) failed and need a person: Products/Services → Provisioning jobs → Failed jobs (Retry or Cancel).`} />
      ) : null}
      <Box flex flexWrap="wrap">
        {data.invoices ? <Card title="Unpaid invoices" value={data.invoices.unpaid} note={`${data.invoices.overdue} overdue`} /> : null}
        {data.invoices ? <Card title="Outstanding" value={money(data.invoices.outstandingCents)} note="default currency and others, unconverted" /> : null}
        {data.provisioning ? <Card title="Provisioning queue" value={data.provisioning.queued + data.provisioning.running} note={`${data.provisioning.running} running, ${data.provisioning.failed} failed`} /> : null}
        {data.services ? <Card title="Active services" value={data.services.active || 0} note={`${data.services.suspended || 0} suspended, ${data.services.pending || 0} pending`} /> : null}
      </Box>
      <Box variant="white" p="lg">
        <H5>Scheduled tasks</H5>
        <Table>
          <TableHead>
            <TableRow><TableCell>Task</TableCell><TableCell>Last run started</TableCell><TableCell>Finished</TableCell><TableCell>Status</TableCell></TableRow>
          </TableHead>
          <TableBody>
            {data.lastRuns.length ? data.lastRuns.map((r) => (
              <TableRow key={r.task}>
                <TableCell>{r.task}</TableCell>
                <TableCell>{r.startedAt ? new Date(r.startedAt).toLocaleString() : '—'}</TableCell>
                <TableCell>{r.finishedAt ? new Date(r.finishedAt).toLocaleString() : 'running'}</TableCell>
                <TableCell>{r.status}</TableCell>
              </TableRow>
            )) : (
              <TableRow><TableCell colSpan={4}>No scheduled task has run yet.</TableCell></TableRow>
            )}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
};

export default Dashboard;
