import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, H2, H5, Text, MessageBox, Table, TableHead, TableBody, TableRow, TableCell } from '@adminjs/design-system';
import { PieChart, Pie, Cell, BarChart, Bar, XAxis, YAxis, Tooltip, Legend, CartesianGrid } from 'recharts';

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

const COLOURS = ['#4268F6', '#0ACF83', '#F0616F', '#FFB547', '#8E6CEF', '#37C6D0', '#A0A0B0', '#E879C0'];
const decimal = (cents, exponent = 2) => {
  const neg = cents < 0;
  const s = String(Math.abs(cents)).padStart(exponent + 1, '0');
  const whole = (exponent ? s.slice(0, -exponent) : s).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${whole}${exponent ? `.${s.slice(-exponent)}` : ''}`;
};
const trend = (now, before) => {
  if (!before) return now ? 'no revenue in the previous period' : 'same as the previous period';
  const pct = Math.round(((now - before) * 100) / Math.abs(before));
  return `${pct >= 0 ? '▲' : '▼'} ${Math.abs(pct)}% vs the previous period`;
};
const duration = (seconds) => {
  if (seconds === null || seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
};

const ChartBox = ({ title, children, empty }) => (
  <Box variant="white" p="lg" mr="lg" mb="lg" style={{ width: 420 }}>
    <H5>{title}</H5>
    {/* Fixed size: the cards have a fixed width, and a measured container can come out 0 wide inside a flex row. */}
    {empty ? <Text>Nothing yet.</Text> : React.cloneElement(children, { width: 380, height: 240 })}
  </Box>
);

const Pies = ({ data, nameKey, valueKey, width, height }) => (
  <PieChart width={width} height={height}>
    <Pie data={data} dataKey={valueKey} nameKey={nameKey} outerRadius={80} label>
      {data.map((_, i) => <Cell key={i} fill={COLOURS[i % COLOURS.length]} />)}
    </Pie>
    <Tooltip />
    <Legend />
  </PieChart>
);

const Lens = ({ title, columns, rows }) => (
  <Box variant="white" p="lg" mb="lg">
    <H5>{title}</H5>
    <Table>
      <TableHead><TableRow>{columns.map((c) => <TableCell key={c}>{c}</TableCell>)}</TableRow></TableHead>
      <TableBody>
        {rows.length ? rows.map((r, i) => <TableRow key={i}>{r.map((v, j) => <TableCell key={j}>{v}</TableCell>)}</TableRow>) : <TableRow><TableCell colSpan={columns.length}>None.</TableCell></TableRow>}
      </TableBody>
    </Table>
  </Box>
);

/** The business figures and lenses (overdue invoices, services due soon, server status, top clients). */
const Business = ({ data }) => {
  const money = (cents, exponent) => decimal(cents, exponent);
  const main = data.revenue && data.revenue[0];
  return (
    <Box>
      <Box flex flexWrap="wrap">
        {main ? <Card title={`Revenue today (${main.currency})`} value={money(main.today, main.exponent)} note={`${trend(main.today, main.yesterday)}; yesterday ${money(main.yesterday, main.exponent)}`} /> : null}
        {main ? <Card title={`Revenue this month (${main.currency})`} value={money(main.month, main.exponent)} note={`${trend(main.month, main.previousMonth)}; same days last month ${money(main.previousMonth, main.exponent)}`} /> : null}
        {data.revenue && data.revenue.length > 1 ? <Card title="Other currencies this month" value={data.revenue.slice(1).map((r) => `${r.currency} ${money(r.month, r.exponent)}`).join(' · ')} /> : null}
        {data.outstanding ? data.outstanding.map((o) => <Card key={o.currency} title={`Outstanding (${o.currency})`} value={money(o.balanceCents, o.exponent)} note={`${o.invoices} unpaid invoice(s), ${o.overdue} overdue`} />) : null}
        {data.tickets ? <Card title="Open tickets" value={data.tickets.open} note={`first response (last 30 days): average ${duration(data.tickets.last30Days.averageSeconds)}, median ${duration(data.tickets.last30Days.medianSeconds)}`} /> : null}
      </Box>
      <Box flex flexWrap="wrap">
        {data.revenueByProductType ? (
          <ChartBox title="Revenue by product type (paid this month)" empty={!data.revenueByProductType.length}>
            <Pies data={data.revenueByProductType.map((r) => ({ name: `${r.type} (${r.currency})`, value: r.amountCents / 10 ** r.exponent }))} nameKey="name" valueKey="value" />
          </ChartBox>
        ) : null}
        {data.newClients ? (
          <ChartBox title="New clients (last 12 months)" empty={false}>
            <BarChart data={data.newClients} margin={{ top: 8, right: 24, left: 0, bottom: 0 }}><CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="month" /><YAxis allowDecimals={false} /><Tooltip /><Bar dataKey="clients" fill={COLOURS[0]} /></BarChart>
          </ChartBox>
        ) : null}
        {data.tickets ? (
          <ChartBox title="Open tickets by department" empty={!data.tickets.byDepartment.length}>
            <Pies data={data.tickets.byDepartment} nameKey="department" valueKey="open" />
          </ChartBox>
        ) : null}
        {data.servers ? (
          <ChartBox title="Server utilisation (accounts / maximum)" empty={!data.servers.length}>
            <BarChart data={data.servers.map((s) => ({ name: s.name, used: s.percentUsed || 0 }))} margin={{ top: 8, right: 24, left: 0, bottom: 0 }}><CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="name" /><YAxis unit="%" domain={[0, 100]} /><Tooltip /><Bar dataKey="used" fill={COLOURS[1]} /></BarChart>
          </ChartBox>
        ) : null}
        {data.domainsByTld ? (
          <ChartBox title="Active domains by TLD" empty={!data.domainsByTld.length}>
            <Pies data={data.domainsByTld} nameKey="tld" valueKey="domains" />
          </ChartBox>
        ) : null}
      </Box>
      {data.overdueInvoices ? <Lens title="Overdue invoices (oldest first)" columns={['Invoice', 'Client', 'Due', 'Days overdue', 'Balance']} rows={data.overdueInvoices.map((i) => [i.number, i.client, i.dueDate, i.daysOverdue, `${money(i.balanceCents, i.exponent)} ${i.currency}`])} /> : null}
      {data.expiringServices ? <Lens title="Services due for renewal in the next 14 days" columns={['Service', 'Client', 'Product', 'Cycle', 'Next due']} rows={data.expiringServices.map((s) => [s.domain || `#${s.id}`, s.client, s.product, s.cycle, s.nextDueDate])} /> : null}
      {data.servers ? <Lens title="Server status" columns={['Server', 'Host', 'Status', 'Accounts', 'Last check']} rows={data.servers.map((s) => [s.name, s.hostname, s.status, `${s.accounts} / ${s.maxAccounts}${s.percentUsed === null ? '' : ` (${s.percentUsed}%)`}`, s.lastCheckAt ? `${s.lastCheckOk ? 'OK' : 'failed'} ${new Date(s.lastCheckAt).toLocaleString()}` : 'never'])} /> : null}
      {data.topClients ? <Lens title="Top clients by revenue (last 12 months)" columns={['Client', 'Net revenue']} rows={data.topClients.map((c) => [c.client, `${money(c.netCents, c.exponent)} ${c.currency}`])} /> : null}
    </Box>
  );
};

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
      <Business data={data} />
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
